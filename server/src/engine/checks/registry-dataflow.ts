import type { Check } from './index';
import { dataflowFlow } from './dataflow-flow';
import { inputIntoQueryOrPath } from './input-into-query-or-path';
import { instructionRunsDangerousScript } from './instruction-runs-dangerous-script';
import { secretBundle } from './secret-bundle';

/** Procedural checks that report from the dataflow analysis (server/src/engine/dataflow). */
export const DATAFLOW_CHECKS: Readonly<Record<string, Check>> = {
  'dataflow-flow': dataflowFlow,
  'input-into-query-or-path': inputIntoQueryOrPath,
  'instruction-runs-dangerous-script': instructionRunsDangerousScript,
  'secret-bundle': secretBundle,
};
