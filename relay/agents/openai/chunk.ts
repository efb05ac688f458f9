/** Validates one streamed Chat Completions chunk (the JSON after `data: `) into the few fields Parley uses. */

import { isObject, type JsonObject } from '../../../shared/reader.ts';

/** A piece of one tool call; pieces with the same `index` belong to the same call. */
export interface ToolCallDelta {
  index: number;
  id: string | undefined;
  name: string | undefined;
  arguments: string | undefined;
}

export interface CompletionChunk {
  kind: 'chunk';
  content: string | undefined;
  /** `reasoning_content` (DeepSeek, llama.cpp, older vLLM) or `reasoning` (Ollama, OpenRouter, newer vLLM). */
  reasoning: string | undefined;
  refusal: string | undefined;
  toolCalls: ToolCallDelta[];
  /** `stop`, `length`, `tool_calls`, `content_filter`, … once the choice is finished. */
  finishReason: string | undefined;
  usage: { promptTokens: number; completionTokens: number } | undefined;
}

/** Some servers report a failure inside the stream instead of with an HTTP status. */
export interface StreamErrorChunk {
  kind: 'error';
  message: string;
  code: string | undefined;
}

export type ParsedChunk = CompletionChunk | StreamErrorChunk;

/** The chunk is not what the API documents; the message says what was wrong. */
export class MalformedChunk extends Error {
  override readonly name = 'MalformedChunk';
}

/** Reads an optional field that servers send as absent or `null` interchangeably. */
function optional<T>(obj: JsonObject, key: string, is: (v: unknown) => v is T, what: string): T | undefined {
  const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
  if (v === undefined || v === null) return undefined;
  if (!is(v)) throw new MalformedChunk(`"${key}" is not ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const optObject = (obj: JsonObject, key: string) => optional(obj, key, isObject, 'an object');

function toolCall(value: unknown, position: number): ToolCallDelta {
  if (!isObject(value)) throw new MalformedChunk('a tool call is not an object');
  const fn = optObject(value, 'function');
  return {
    // A few servers omit `index` when they send whole calls; the position is then the index.
    index: optional(value, 'index', isInt, 'a whole number') ?? position,
    id: optional(value, 'id', isString, 'a string'),
    name: fn ? optional(fn, 'name', isString, 'a string') : undefined,
    arguments: fn ? optional(fn, 'arguments', isString, 'a string') : undefined,
  };
}

/** Parses the data of one SSE event; throws `MalformedChunk` for anything that is not a chunk. */
export function parseChunk(data: string): ParsedChunk {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new MalformedChunk('a chunk is not valid JSON');
  }
  if (!isObject(value)) throw new MalformedChunk('a chunk is not a JSON object');
  const error = optObject(value, 'error');
  if (error) {
    const code = error['code'];
    return {
      kind: 'error',
      message: optional(error, 'message', isString, 'a string') ?? 'unknown error',
      code: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
    };
  }
  const choices = optional(value, 'choices', isArray, 'an array') ?? [];
  const choice = choices.find((c) => isObject(c) && (c['index'] ?? 0) === 0) ?? choices[0];
  if (choice !== undefined && !isObject(choice)) throw new MalformedChunk('a choice is not an object');
  const delta = choice ? optObject(choice, 'delta') : undefined;
  const usage = optObject(value, 'usage');
  return {
    kind: 'chunk',
    content: delta ? optional(delta, 'content', isString, 'a string') : undefined,
    reasoning: delta
      ? (optional(delta, 'reasoning_content', isString, 'a string') ??
        optional(delta, 'reasoning', isString, 'a string'))
      : undefined,
    refusal: delta ? optional(delta, 'refusal', isString, 'a string') : undefined,
    toolCalls: ((delta && optional(delta, 'tool_calls', isArray, 'an array')) ?? []).map(toolCall),
    finishReason: choice ? optional(choice, 'finish_reason', isString, 'a string') : undefined,
    usage: usage
      ? {
          promptTokens: optional(usage, 'prompt_tokens', isInt, 'a whole number') ?? 0,
          completionTokens: optional(usage, 'completion_tokens', isInt, 'a whole number') ?? 0,
        }
      : undefined,
  };
}
