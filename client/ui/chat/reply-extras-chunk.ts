/** The lazy chunk of reply-extras.ts: defines the elements of the blocks few replies have. */

import './approval-card.ts';
import './data-block.ts';
import './message-attachments.ts';
import './message-buttons.ts';
import './message-sources.ts';
import './message-steps.ts';
import './question-form.ts';
import './reasoning-block.ts';
import './tool-call-block.ts';
