/** The MCP prompts for the common flows: handing a task to another agent, and asking a human before deploying. */
import { McpError, type GetPromptResult, type Prompt } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '../protocol/errors';

interface PromptDef extends Prompt {
  text(args: Record<string, string>): string;
}

const PROMPTS: PromptDef[] = [
  {
    name: 'hand_off_task',
    title: 'Hand a task to another agent',
    description: 'Give a task to another agent of the Switchboard fleet and wait until it says it is done.',
    arguments: [
      { name: 'task', description: 'what the other agent should do', required: true },
      { name: 'to', description: 'the agent id to hand it to (default: pick one from switchboard://agents)', required: false },
    ],
    text: ({ task, to }) =>
      [
        `Hand this task to another agent of the Switchboard fleet: ${task}`,
        to ? `Give it to the agent "${to}".` : 'Read the resource switchboard://agents and pick an alive agent whose metadata or current task fits the task best.',
        'Then:',
        '1. report_status with currentTask saying you are handing the task over.',
        '2. send_signal to that agent with type "task.handoff" and payload {"task": <the task>, "context": <what it needs to know>, "replyTo": <your agent id>}.',
        '3. wait_for_signal with type "task.done" (timeoutMs up to 600000) and read its payload; if nothing comes, check switchboard://agents/{id} to see whether the agent is still alive, and tell the user.',
        '4. record_outcome with actionType "task.handoff" and status success or failure.',
      ].join('\n'),
  },
  {
    name: 'ask_before_deploying',
    title: 'Ask before deploying',
    description: 'Deploy only after a human approved it through Switchboard, and record how it went.',
    arguments: [
      { name: 'target', description: 'what is deployed where, e.g. "api to production"', required: true },
      { name: 'change', description: 'what the deploy changes (commits, migrations, config)', required: false },
    ],
    text: ({ target, change }) =>
      [
        `You are about to deploy ${target}.${change ? ` It changes: ${change}` : ''}`,
        'Before running any deploy command:',
        '1. validate_content over your deploy plan (direction "output"); if it is blocked, stop and tell the user why.',
        '2. acquire_lock with name "deploy:<target>" (ttlMs 600000) so that no other agent deploys it at the same time; if the lock is null, wait or stop.',
        '3. request_approval with type "deploy", risk "high" and context {"target", "change", "plan", "rollback"}: what a human needs to decide.',
        '4. Only if the result has approved true: deploy, with report_status as you go. If it was rejected or expired, do not deploy; tell the user the reason.',
        '5. record_outcome with actionType "deploy" and the status, then release_lock with the fencingToken from step 2.',
      ].join('\n'),
  },
];

export function listPrompts(): Prompt[] {
  return PROMPTS.map(({ text: _text, ...prompt }) => prompt);
}

export function getPrompt(name: string, args: Record<string, string> = {}): GetPromptResult {
  const prompt = PROMPTS.find((p) => p.name === name);
  if (!prompt) throw new McpError(ErrorCode.InvalidParams, `unknown prompt ${name}: ${PROMPTS.map((p) => p.name).join(', ')}`, { field: 'name', rule: 'prompt' });
  for (const argument of prompt.arguments ?? []) {
    if (argument.required && !args[argument.name]) {
      throw new McpError(ErrorCode.InvalidParams, `prompt ${name} needs the argument ${argument.name}`, { field: `arguments.${argument.name}`, rule: 'required' });
    }
  }
  return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text: prompt.text(args) } }] };
}
