// Shared by the write scenarios (g) and (gc): the editor's request headers and a new draft's body.
import { cfg, pick } from './lib.js';

const body = `## Benchmark article\n\n${'Written by the benchmark to measure the write path. '.repeat(40)}\n`;

export function editorHeaders(extra) {
  return Object.assign({ Authorization: `Bearer ${cfg.editor_token}`, 'Content-Type': 'application/json' }, extra);
}

// newDraft is the JSON of a draft with a title unique in the run and one or two of the seeded tags.
export function newDraft(kind) {
  return JSON.stringify({
    title: `Bench ${kind} ${cfg.run_id} ${__VU}-${__ITER}`,
    excerpt: 'An article written by the benchmark.',
    body_markdown: body,
    tags: [pick(cfg.tags), pick(cfg.tags)].filter((t, i, all) => all.indexOf(t) === i),
  });
}
