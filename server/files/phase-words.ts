// The phases of a document generation job in words, for the job page (issue 12: words, not codes). The
// generator reports ProgressPhase codes (activities/docx/generate.ts); the job store starts at `start`.
import type { ProgressPhase } from '../../activities/docx/generate';

type Words = { zh: string; en: string };

export const JOB_PHASE_WORDS: Record<ProgressPhase | 'start', Words> = {
  start: { zh: '排队等待', en: 'Waiting to start' },
  prepare: { zh: '准备文本', en: 'Preparing the text' },
  cover: { zh: '生成封面', en: 'Setting the cover' },
  frontMatter: { zh: '生成目次和前言', en: 'Setting the contents and foreword' },
  body: { zh: '排版正文', en: 'Setting the body' },
  pack: { zh: '打包 DOCX 文件', en: 'Packing the DOCX file' },
  done: { zh: '已完成', en: 'Done' },
};

/** The phase in the page's language; an unknown code (a newer generator) reads as "in progress". */
export function jobPhaseWords(phase: string, lang: 'zh' | 'en'): string {
  const w = (JOB_PHASE_WORDS as Record<string, Words | undefined>)[phase];
  return w ? w[lang] : lang === 'zh' ? '正在生成' : 'In progress';
}
