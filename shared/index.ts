/** The Parley protocol: every frame in every direction, its limits, errors and parsers. */

export * from './agent-events.ts';
export * from './agent-frames.ts';
export * from './client-frames.ts';
export * from './errors.ts';
export * from './events-frame.ts';
export * from './limits.ts';
export * from './model.ts';
export * from './parse/agent-frames.ts';
export * from './parse/client-frames.ts';
export * from './parse/relay-frames.ts';
export * from './relay-frames.ts';
export { attachmentParser, base64Size, chatMessageParser } from './parse-model.ts';
export * from './fold.ts';
export * from './human-request.ts';
export * from './answer-validation.ts';
export * from './human-events.ts';
export { humanAnswerParser, humanRequestParser } from './parse/human-request.ts';
export * from './hlc.ts';
export * from './workspace.ts';
export * from './settings.ts';
export * from './param-check.ts';
export { turnSettingsParser, agentParamParser } from './parse/settings.ts';
export { WORKSPACE_LIMITS } from './parse/workspace.ts';
