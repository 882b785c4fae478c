import { analyseSkill, type Flow, type FlowKind } from '../dataflow';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { Severity } from '../types';
import type { CheckOptions } from './index';

/**
 * Reports the flows the dataflow analysis found (server/src/engine/dataflow): sensitive data
 * reaching an outbound sink (`secret`), clipboard/screen/keystroke data reaching one
 * (`privacy`), or downloaded data reaching an executor (`download`). The finding sits on the
 * sink; the source and any intermediate step (a file another script wrote, a helper call) are
 * related locations.
 */

const MAX_FINDINGS = 30;

export function dataflowFlow(context: MatchContext, options: CheckOptions): RawFinding[] {
  const kind = parseKind(options.flow);
  const findings: RawFinding[] = [];
  for (const flow of analyseSkill(context).flows) {
    if (flow.kind !== kind) continue;
    findings.push(flowFinding(flow));
    if (findings.length >= MAX_FINDINGS) break;
  }
  return findings;
}

function parseKind(value: unknown): FlowKind {
  return value === 'privacy' || value === 'download' ? value : 'secret';
}

export function flowFinding(flow: Flow): RawFinding {
  const related = [
    { file: flow.source.file, start: flow.source.start, end: flow.source.end, message: sourceMessage(flow) },
    ...flow.source.via.map((step) => ({ ...step })),
    ...flow.steps.map((step) => ({ ...step })),
  ];
  return {
    file: flow.sink.file,
    start: flow.sink.start,
    end: flow.sink.end,
    message: flowMessage(flow),
    ...(flowSeverity(flow) !== undefined ? { severity: flowSeverity(flow) } : {}),
    related,
  };
}

/**
 * Writes to a shared location are a step short of sending, and a generic-named credential sent to
 * a host the skill never names may still be its own API: high, not critical.
 */
export function flowSeverity(flow: Flow): Severity | undefined {
  if (flow.unlessHostDisclosed) return 'high';
  return flow.sink.kind === 'shared-file' && flow.kind === 'secret' ? 'high' : undefined;
}

function sourceMessage(flow: Flow): string {
  if (flow.source.category === 'download') return 'The data is downloaded here.';
  return `${capitalise(flow.source.description)} ${verb(flow.source.description, 'is', 'are')} read here.`;
}

export function flowMessage(flow: Flow): string {
  const source = flow.source.description;
  const sink = flow.sink.description;
  switch (flow.kind) {
    case 'download':
      return `Data downloaded from the network reaches ${sink}, so the skill runs code that nobody reviewed and the server can change at any time.`;
    case 'privacy':
      return `${capitalise(source)} ${verb(source, 'flows', 'flow')} into ${sink}, so what the user copied, typed or saw leaves the machine.`;
    default:
      if (flow.unlessHostDisclosed && flow.sink.host) {
        return `${capitalise(source)} is sent as a credential in ${sink}, a host the skill never names to its user; nothing in its name or in the skill shows that the secret belongs to that service.`;
      }
      return flow.sink.kind === 'shared-file'
        ? `${capitalise(source)} ${verb(source, 'is', 'are')} written to ${sink}, where other users and processes can read it.`
        : `${capitalise(source)} ${verb(source, 'flows', 'flow')} into ${sink}, so the secret leaves the machine.`;
  }
}

/** "AWS credentials flow", "the SSH private key flows". */
function verb(description: string, singular: string, plural: string): string {
  return /(?:credentials|keys|files|hashes|stores|passwords|notes)$/.test(description) ? plural : singular;
}

function capitalise(text: string): string {
  return text.length > 0 ? `${(text[0] ?? '').toUpperCase()}${text.slice(1)}` : text;
}
