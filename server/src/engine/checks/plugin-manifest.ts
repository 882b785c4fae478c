import type { MatchContext, RawFinding } from '../matchers/types';

/**
 * A `.claude-plugin/plugin.json` (or `.codex-plugin/plugin.json`) inside a skill folder turns the
 * skill into a plugin that can bundle agents, hooks and MCP servers. Reported at the manifest.
 */
const MANIFEST = /^(?:\.claude-plugin|\.codex-plugin)\/plugin\.json$/;

export function pluginManifest(context: MatchContext): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (!MANIFEST.test(file.path)) continue;
    const bundles: string[] = [];
    for (const key of ['hooks', 'mcpServers', 'agents', 'commands', 'lspServers']) {
      if (new RegExp(`"${key}"\\s*:`).test(file.text)) bundles.push(key);
    }
    const firstLineEnd = file.lines.lineEnd(1);
    findings.push({
      file: file.path,
      start: 0,
      end: Math.min(firstLineEnd, 200),
      captures: { manifest: file.path, bundles: bundles.length > 0 ? bundles.map((b) => `\`${b}\``).join(', ') : 'no components yet' },
    });
  }
  return findings;
}
