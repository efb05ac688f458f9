/** How a settled request reads on a card: what was answered, from where and when (the same words on every card). */

import type { HumanAnswer, RequestState } from '../../../shared/index.ts';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** The answer in a few words ("Allowed once", "Denied: not now", "Answered", "Declined"). */
export function answerWords(answer: HumanAnswer): string {
  switch (answer.kind) {
    case 'approval':
      if (answer.decision === 'allow_once') return 'Allowed once';
      if (answer.decision === 'allow_always') return 'Always allowed in this chat';
      return answer.reason ? `Denied: ${answer.reason}` : 'Denied';
    case 'question':
      return 'Answered';
    case 'decline':
      return answer.reason ? `Declined: ${answer.reason}` : 'Declined';
  }
}

/** "from Firefox on Android at 14:03" — where and when a request was answered, as far as it is known. */
export function answeredWhere(r: RequestState): string {
  const device = r.answered_by?.device ?? 'a device that gave no name';
  const when = r.answered_at === undefined ? '' : ` at ${clock.format(r.answered_at)}`;
  return `from ${device}${when}`;
}

/** When a pending request stops taking answers, for its card. */
export function expiresWords(expiresAt: number): string {
  return `Answer by ${clock.format(expiresAt)}`;
}
