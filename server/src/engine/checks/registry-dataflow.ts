import type { Check } from './index';
import { dataflowFlow } from './dataflow-flow';
import { instructionRunsDangerousScript } from './instruction-runs-dangerous-script';
import { secretBundle } from './secret-bundle';

/** Procedural checks that report from the dataflow analysis (server/src/engine/dataflow). */
export const DATAFLOW_CHECKS: Readonly<Record<string, Check>> = {
  'dataflow-flow': dataflowFlow,
  'instruction-runs-dangerous-script': instructionRunsDangerousScript,
  'secret-bundle': secretBundle,
};
