/**
 * The dashboard's files (`cli/serve/dashboard/`), read once when the server starts and served with a
 * Content Security Policy that allows only this origin's script and stylesheet: no inline script.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { BASE_HEADERS } from './request.ts';

const DASHBOARD_DIR = new URL('../dashboard/', import.meta.url);

/** Path → file name and media type. */
const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/draw.js': { file: 'draw.js', type: 'text/javascript; charset=utf-8' },
};

/** The policy of every dashboard file: same-origin script, style and connections only. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The dashboard files, loaded. */
export class StaticFiles {
  private constructor(private readonly files: ReadonlyMap<string, { body: Buffer; type: string }>) {}

  static async load(): Promise<StaticFiles> {
    const entries = await Promise.all(
      Object.entries(FILES).map(
        async ([path, { file, type }]) =>
          [path, { body: await readFile(new URL(file, DASHBOARD_DIR)), type }] as const,
      ),
    );
    return new StaticFiles(new Map(entries));
  }

  /** Whether `path` is a dashboard file. */
  has(path: string): boolean {
    return this.files.has(path);
  }

  /** Sends the file at `path` (the caller checked {@link has}); HEAD gets the headers only. */
  send(path: string, response: ServerResponse, head: boolean): void {
    const file = this.files.get(path)!;
    response.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': file.type,
      'content-length': file.body.length,
      'content-security-policy': DASHBOARD_CSP,
      'x-frame-options': 'DENY',
    });
    response.end(head ? undefined : file.body);
  }
}
