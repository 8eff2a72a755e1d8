/**
 * The order test files start in: the longest known ones first, then vitest's own order (by the last
 * run's durations, or by file size on a fresh clone, where a long file that happens to be small would
 * otherwise start last and run alone at the end while the other worker idles).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, as measured on 2 cores; a file missing here just keeps vitest's order. */
const LONGEST_FIRST = [
  'test/e2e/scenarios.test.ts',
  'test/replication/largeItems.test.ts',
  'test/e2e/up.test.ts',
  'test/fuzz/apiFuzz.test.ts',
  'test/e2e/globalTables.test.ts',
  'test/e2e/regionProcess.test.ts',
  'test/unit/chunkedScan.test.ts',
  'test/property/simCluster.property.test.ts',
  'test/property/realCluster.property.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const at = LONGEST_FIRST.indexOf(relative(process.cwd(), spec.moduleId).split('\\').join('/'));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
