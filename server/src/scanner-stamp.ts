import manifest from '../../package.json';
import { ruleSetDigest, type Engine, type ScannerStamp } from './engine';

/**
 * The scanner stamp a lock entry records: the tool version and the rule set it was approved
 * under. The CLI's `lock` and the editor's Approve Skill both write it, so it lives in one place.
 */
export function scannerStamp(engine: Pick<Engine, 'version' | 'rules'>): ScannerStamp {
  return { version: manifest.version, ruleSetVersion: engine.version, ruleSetDigest: ruleSetDigest(engine.rules) };
}
