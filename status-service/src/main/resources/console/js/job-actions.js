import { post } from './api.js';
import { h, notice, replace } from './dom.js';
import { tokenForm } from './errors.js';

/**
 * Replay (optionally patching the input) or cancel one job, with the reason the ops API requires. `done(message)` runs after the 202: the command
 * is on its way to the orchestrator, which decides; the job's page shows what it did.
 */
export function actionForm(kind, jobId, done) {
  const out = h('div');
  const reason = h('input', { name: 'reason', placeholder: 'reason (required)', size: 30, required: true });
  // A replay may patch the job's input (JSON Merge Patch): the fix for a payload that can never succeed as it is.
  const patch = kind === 'replay'
    ? h('input', { name: 'inputPatch', placeholder: 'input patch, JSON (optional)', size: 30 }) : null;
  const form = h('form', {
    class: 'inline', 'data-action': kind, onsubmit: async (event) => {
      event.preventDefault();
      const body = { reason: reason.value.trim() };
      if (patch && patch.value.trim()) {
        try {
          body.inputPatch = JSON.parse(patch.value);
        } catch (e) {
          replace(out, notice('error', 'The input patch is not JSON: ' + e.message));
          return;
        }
      }
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        const accepted = await post('ops/jobs/' + encodeURIComponent(jobId) + '/' + kind, body);
        replace(out, notice('ok', kind === 'replay'
          ? 'Replay ' + accepted.replayId + ' sent. The job runs again from its dead-lettered stage; watch it below.'
          : 'Cancel sent. The orchestrator stops the job at its next step.'));
        done(accepted);
      } catch (error) {
        replace(out, error.kind === 'token' || error.kind === 'forbidden'
          ? tokenForm(error)
          : notice('error', (kind === 'replay' ? 'Replay' : 'Cancel') + ' was not sent: ' + error.message));
      } finally {
        button.disabled = false;
      }
    },
  }, reason, patch, h('button', { class: kind === 'replay' ? 'primary' : 'danger' }, kind === 'replay' ? 'Replay' : 'Cancel job'));
  return h('div', {}, form, out);
}
