/**
 * The Function App's entry point (`main` of the deployed package): importing each function module
 * registers it with the Functions host. `npm run package:azure` bundles this file.
 */
import './functions/advance.ts';
import './functions/approval.ts';
import './functions/audit.ts';
import './functions/events.ts';
