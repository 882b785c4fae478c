export { analyseSkill, analyseUnit, walkTree, type SkillAnalysis, type UnitAnalysis } from './analysis';
export type { AbstractValue, Flow, FlowKind, SinkSite, Step, TaintLabel } from './core';
export { classifyPath, isSecretName, type SourceCategory } from './labels';
