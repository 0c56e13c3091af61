/**
 * The fixed layout of one outcome stats bucket: per agent and 10 s, one Redis string written with
 * BITFIELD INCRBY (atomic, no read-modify-write in Lua) and read back whole. An agent's running
 * window (the sum of its last 300 s of buckets) has the same layout. The layout is defined
 * here once; the Lua side's table (`includes/outcomeLayout`) is generated from it, as the script
 * errors are.
 *
 * BITFIELD offsets `#k` count in units of the field's own width, big-endian:
 *   u32 #0..#5   outcomes of each status (OUTCOME_STATUSES order)
 *   u32 #6       all outcomes          u32 #7  errors (failure + timeout)
 *   i64 #4       tokens                i64 #5  cost in 1e-9 USD       i64 #6  duration sum in µs
 *   u32 #14 + b  duration histogram bin b (the string ends at the highest bin used)
 *
 * Histogram: bin 0 holds durations ≤ 1 ms; bin b ≥ 1 holds (2^((b-1)/8), 2^(b/8)] ms, eight bins
 * per doubling (Prometheus's native-histogram schema 3). A bin stands for its geometric middle,
 * 2^((b-½)/8), at most 2^(1/16) − 1 ≈ 4.4 % from any duration in it; bin 0 stands for 0.5 ms.
 */
import { ERROR_STATUSES, MAX_OUTCOME_DURATION_MS, OUTCOME_BUCKET_SECONDS, OUTCOME_RECOVERY_FRACTION, OUTCOME_STATUSES, OUTCOME_WINDOW_SECONDS, MAX_OUTCOME_WINDOW_SECONDS, SEVERITY_OF_STATUS } from '../../protocol/outcome';

export const BUCKET_MS = OUTCOME_BUCKET_SECONDS * 1000;
const BINS_PER_DOUBLING = 8;
const COUNT_SLOT = 6;
const ERRORS_SLOT = 7;
const TOKENS_SLOT = 4;
const COST_SLOT = 5;
const DURATION_SLOT = 6;
const BINS_SLOT = 14;
const HEADER_BYTES = BINS_SLOT * 4;
const MAX_BIN = Math.ceil(Math.log2(MAX_OUTCOME_DURATION_MS) * BINS_PER_DOUBLING);
export const BIN_COUNT = MAX_BIN + 1;
/** How far 2^(1/16) (a bin's middle) may be from a duration in the bin, relatively. */
export const HISTOGRAM_RELATIVE_ERROR = 2 ** (1 / (2 * BINS_PER_DOUBLING)) - 1;
/** Costs are summed as integers of 1e-9 USD, so sums are exact. */
export const COST_UNITS_PER_USD = 1e9;

export function binOf(durationMs: number): number {
  if (durationMs <= 1) return 0;
  return Math.min(Math.ceil(Math.log2(durationMs) * BINS_PER_DOUBLING), MAX_BIN);
}

/** The duration a bin stands for (ms). */
export function binValue(bin: number): number {
  return bin === 0 ? 0.5 : 2 ** ((bin - 0.5) / BINS_PER_DOUBLING);
}

/** The sums of one or more buckets (merge adds a bucket's string in). */
export class BucketSums {
  readonly byStatus = new Array<number>(OUTCOME_STATUSES.length).fill(0);
  count = 0;
  errors = 0;
  tokens = 0;
  costUnits = 0;
  durationUs = 0;
  readonly bins = new Float64Array(BIN_COUNT);
  /** Bins past this one are all zero: loops over the histogram stop here (most agents use a third of it). */
  private binsUsed = 0;

  /** Back to no outcomes, so that one instance serves agent after agent without allocating. */
  reset(): void {
    this.byStatus.fill(0);
    this.count = this.errors = this.tokens = this.costUnits = this.durationUs = 0;
    this.bins.fill(0, 0, this.binsUsed);
    this.binsUsed = 0;
  }

  /** Adds (sign 1) or subtracts (sign -1) one bucket-layout string. */
  merge(bucket: Buffer, sign: 1 | -1): void {
    for (let s = 0; s < OUTCOME_STATUSES.length; s++) this.byStatus[s]! += sign * u32(bucket, s);
    this.count += sign * u32(bucket, COUNT_SLOT);
    this.errors += sign * u32(bucket, ERRORS_SLOT);
    this.tokens += sign * i64(bucket, TOKENS_SLOT);
    this.costUnits += sign * i64(bucket, COST_SLOT);
    this.durationUs += sign * i64(bucket, DURATION_SLOT);
    let bin = 0;
    for (let offset = HEADER_BYTES; offset + 4 <= bucket.length; offset += 4, bin++) this.bins[bin]! += sign * bucket.readUInt32BE(offset);
    this.binsUsed = Math.max(this.binsUsed, bin);
  }

  add(other: BucketSums): void {
    for (let s = 0; s < this.byStatus.length; s++) this.byStatus[s]! += other.byStatus[s]!;
    this.count += other.count;
    this.errors += other.errors;
    this.tokens += other.tokens;
    this.costUnits += other.costUnits;
    this.durationUs += other.durationUs;
    for (let bin = 0; bin < other.binsUsed; bin++) this.bins[bin]! += other.bins[bin]!;
    this.binsUsed = Math.max(this.binsUsed, other.binsUsed);
  }

  /** The duration at a nearest-rank percentile (0 < p ≤ 100), as its bin's middle; null without outcomes. */
  percentile(p: number): number | null {
    return this.percentiles([p])[0]!;
  }

  /** Several percentiles, ascending, in one walk over the histogram. */
  percentiles(ascending: readonly number[]): (number | null)[] {
    if (this.count === 0) return ascending.map(() => null);
    const out: number[] = [];
    let seen = 0;
    for (let bin = 0; bin < this.binsUsed && out.length < ascending.length; bin++) {
      seen += this.bins[bin]!;
      while (out.length < ascending.length && seen >= Math.max(1, Math.ceil((ascending[out.length]! / 100) * this.count))) out.push(binValue(bin));
    }
    while (out.length < ascending.length) out.push(binValue(BIN_COUNT - 1));
    return out;
  }
}

function u32(bucket: Buffer, slot: number): number {
  return bucket.length >= (slot + 1) * 4 ? bucket.readUInt32BE(slot * 4) : 0;
}

/** Without BigInt (several times slower): high word signed, low word unsigned; exact below 2^53. */
function i64(bucket: Buffer, slot: number): number {
  return bucket.length >= (slot + 1) * 8 ? bucket.readInt32BE(slot * 8) * 2 ** 32 + bucket.readUInt32BE(slot * 8 + 4) : 0;
}

/** The Lua side of the layout (the include `includes/outcomeLayout`). */
export const OUTCOME_LAYOUT_LUA = `-- Generated from daemon/store/outcome-buckets.ts: the layout of an outcome stats bucket.
local BUCKET_MS = ${BUCKET_MS}
-- Buckets in the failure-rate alert's window.
local ALERT_BUCKETS = ${OUTCOME_WINDOW_SECONDS / OUTCOME_BUCKET_SECONDS}
local ALERT_WINDOW_SECONDS = ${OUTCOME_WINDOW_SECONDS}
local RECOVERY_FRACTION = ${OUTCOME_RECOVERY_FRACTION}
-- How long a bucket (and an agent's totals) is kept after it ends: the largest stats window.
local BUCKET_KEEP_MS = ${MAX_OUTCOME_WINDOW_SECONDS * 1000}
local COUNT_SLOT, ERRORS_SLOT, TOKENS_SLOT, COST_SLOT, DURATION_SLOT, BINS_SLOT = ${COUNT_SLOT}, ${ERRORS_SLOT}, ${TOKENS_SLOT}, ${COST_SLOT}, ${DURATION_SLOT}, ${BINS_SLOT}
local STATUS_SLOT = { ${OUTCOME_STATUSES.map((status, slot) => `${status} = ${slot}`).join(', ')} }
local IS_ERROR = { ${ERROR_STATUSES.map((status) => `${status} = true`).join(', ')} }
local SEVERITY = { ${Object.entries(SEVERITY_OF_STATUS).map(([status, severity]) => `${status} = '${severity}'`).join(', ')} }
`;
