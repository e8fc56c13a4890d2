/**
 * The cost model: what an audit and a failover consume (API calls, DynamoDB request units, Lambda
 * invocations and GB-seconds), measured by the benchmarks, turned into a monthly bill for a fleet at
 * published on-demand prices. Prices are us-east-1 list prices as published on the pages cited in
 * PRICES (checked November 2026); other regions differ by a few percent.
 */
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';

/** Published prices, each with the page it comes from. */
export const PRICES = {
  lambdaRequestPerMillion: { usd: 0.2, source: 'https://aws.amazon.com/lambda/pricing/ (requests, Arm)' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ (duration, Arm, first 7.5 billion GB-s)',
  },
  dynamoWriteUnitPerMillion: {
    usd: 0.625,
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ (write request units, on-demand since the November 2024 price cut)',
  },
  dynamoReadUnitPerMillion: {
    usd: 0.125,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (read request units)',
  },
  schedulerInvocationPerMillion: {
    usd: 1.0,
    source:
      'https://aws.amazon.com/eventbridge/pricing/ (Scheduler, after 14 million free invocations a month)',
  },
  backupApiRequest: {
    usd: 0,
    source:
      'https://aws.amazon.com/backup/pricing/ (AWS Backup prices storage, restores and transfer; List* and StartRestoreJob requests are not priced)',
  },
  logsIngestedPerGb: {
    usd: 0.5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, standard ingestion)',
  },
  arcRegionSwitchPlanMonth: {
    usd: 70,
    source:
      'https://aws.amazon.com/application-recovery-controller/pricing/ (Region switch, per plan per month, as quoted in issue 15)',
  },
} as const;

/** DynamoDB request units of the state operations seen, by the item sizes written and read. */
export interface StoreUsage {
  readonly reads: number;
  readonly writes: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

const size = (value: unknown, key: ItemKey) =>
  Buffer.byteLength(JSON.stringify(value ?? null)) +
  Buffer.byteLength(key.partition) +
  Buffer.byteLength(key.sort) +
  64;

/**
 * A state store that counts, around another, the DynamoDB request units its operations would cost:
 * a strongly consistent read is one unit per 4 KB read, a write one unit per 1 KB written (a
 * conditional write that fails still costs its units). Sizes are the items' JSON plus keys and
 * attribute overhead, an estimate of DynamoDB's own item size.
 */
export class CountingStore implements StateStore {
  #reads = 0;
  #writes = 0;
  #readUnits = 0;
  #writeUnits = 0;

  constructor(private readonly inner: StateStore) {}

  usage(): StoreUsage {
    return {
      reads: this.#reads,
      writes: this.#writes,
      readUnits: this.#readUnits,
      writeUnits: this.#writeUnits,
    };
  }

  async get<T>(key: ItemKey): Promise<Versioned<T> | undefined> {
    const got = await this.inner.get<T>(key);
    this.#read(got === undefined ? 1 : size(got.value, key));
    return got;
  }

  create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    this.#write(size(value, key));
    return this.inner.create(key, value, options);
  }

  update<T>(key: ItemKey, value: T, expectedVersion: number, options?: WriteOptions): Promise<Versioned<T>> {
    this.#write(size(value, key));
    return this.inner.update(key, value, expectedVersion, options);
  }

  async query<T>(partition: string, sortPrefix?: string): Promise<Versioned<T>[]> {
    const items = await this.inner.query<T>(partition, sortPrefix);
    const bytes = items.reduce((n, i) => n + size(i.value, { partition, sort: 'x' }), 0);
    this.#read(Math.max(1, bytes));
    return items;
  }

  #read(bytes: number) {
    this.#reads += 1;
    this.#readUnits += Math.ceil(bytes / 4096);
  }

  #write(bytes: number) {
    this.#writes += 1;
    this.#writeUnits += Math.ceil(bytes / 1024);
  }
}

/** What one audit run and one failover consumed, as measured. */
export interface MeasuredUse {
  /** The scheduled audit of the whole fleet: API calls and the Lambda's run time. */
  readonly audit: { readonly apiCalls: number; readonly lambdaSeconds: number };
  /** One failover: API calls, state operations, Lambda invocations and their total run time. */
  readonly failover: {
    readonly apiCalls: number;
    readonly store: StoreUsage;
    readonly lambdaInvocations: number;
    readonly lambdaSeconds: number;
  };
}

/** The fleet the monthly bill is for. */
export interface Fleet {
  readonly applications: number;
  readonly auditEveryMinutes: number;
  /** Memory of the Lambda functions (the CDK construct's default). */
  readonly lambdaMemoryGb: number;
  readonly failoversPerMonth: number;
  /** Protected resources per application. */
  readonly resourcesPerApp: number;
  /**
   * Backup and copy job events per resource per day that reach the events function (assumed: an
   * hourly backup with a cross-region copy is 48); each re-audits its resource.
   */
  readonly jobEventsPerResourcePerDay: number;
  /** Run time of one job event (assumed, not measured here: three List* calls in parallel and the check). */
  readonly jobEventLambdaSeconds: number;
  /** Log bytes each invocation writes (assumed: two structured lines). */
  readonly logBytesPerInvocation: number;
}

const MINUTES_PER_MONTH = 30 * 24 * 60;

/** The monthly cost of `fleet`, line by line, from what was measured. */
export function monthlyCost(use: MeasuredUse, fleet: Fleet) {
  const audits = MINUTES_PER_MONTH / fleet.auditEveryMinutes;
  const jobEvents = fleet.applications * fleet.resourcesPerApp * fleet.jobEventsPerResourcePerDay * 30;
  const invocations = audits + jobEvents + fleet.failoversPerMonth * use.failover.lambdaInvocations;
  const perMillion = (n: number, price: number) => (n / 1e6) * price;
  const lines = [
    {
      item: 'audit Lambda requests',
      quantity: audits,
      usd: perMillion(audits, PRICES.lambdaRequestPerMillion.usd),
    },
    {
      item: 'audit Lambda duration (GB-s)',
      quantity: audits * use.audit.lambdaSeconds * fleet.lambdaMemoryGb,
      usd: audits * use.audit.lambdaSeconds * fleet.lambdaMemoryGb * PRICES.lambdaArmGbSecond.usd,
    },
    {
      item: 'audit schedule (Scheduler invocations)',
      quantity: audits,
      // Inside the 14 million free invocations a month.
      usd: (Math.max(0, audits - 14e6) / 1e6) * PRICES.schedulerInvocationPerMillion.usd,
    },
    {
      item: 'AWS Backup List* calls of the audits',
      quantity: audits * use.audit.apiCalls,
      usd: audits * use.audit.apiCalls * PRICES.backupApiRequest.usd,
    },
    {
      item: 'job events: Lambda requests and duration (assumed run time)',
      quantity: jobEvents,
      usd:
        perMillion(jobEvents, PRICES.lambdaRequestPerMillion.usd) +
        jobEvents * fleet.jobEventLambdaSeconds * fleet.lambdaMemoryGb * PRICES.lambdaArmGbSecond.usd,
    },
    {
      item: 'job events: List* calls (3 each)',
      quantity: jobEvents * 3,
      usd: jobEvents * 3 * PRICES.backupApiRequest.usd,
    },
    {
      item: 'CloudWatch Logs ingested (GB, assumed bytes per invocation)',
      quantity: (invocations * fleet.logBytesPerInvocation) / 1e9,
      usd: ((invocations * fleet.logBytesPerInvocation) / 1e9) * PRICES.logsIngestedPerGb.usd,
    },
    {
      item: 'failover Lambda requests and duration',
      quantity: fleet.failoversPerMonth * use.failover.lambdaInvocations,
      usd:
        perMillion(
          fleet.failoversPerMonth * use.failover.lambdaInvocations,
          PRICES.lambdaRequestPerMillion.usd,
        ) +
        fleet.failoversPerMonth *
          use.failover.lambdaSeconds *
          fleet.lambdaMemoryGb *
          PRICES.lambdaArmGbSecond.usd,
    },
    {
      item: 'failover DynamoDB request units',
      quantity: fleet.failoversPerMonth * (use.failover.store.readUnits + use.failover.store.writeUnits),
      usd:
        perMillion(
          fleet.failoversPerMonth * use.failover.store.readUnits,
          PRICES.dynamoReadUnitPerMillion.usd,
        ) +
        perMillion(
          fleet.failoversPerMonth * use.failover.store.writeUnits,
          PRICES.dynamoWriteUnitPerMillion.usd,
        ),
    },
  ];
  const total = lines.reduce((n, l) => n + l.usd, 0);
  return {
    lines,
    totalUsd: total,
    arcRegionSwitchUsd: fleet.applications * PRICES.arcRegionSwitchPlanMonth.usd,
  };
}
