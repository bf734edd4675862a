import { html, type TemplateResult } from 'lit';
import type { GuardrailItem, HandoffItem } from '@agent-chat/shared';
import { agentName, type ViewModel } from '../state/view-model.ts';
import { handoffIcon, shieldIcon } from './icons.ts';

/** "Triage → Billing": the conversation moved to another agent. */
export function handoffNotice(item: HandoffItem, vm: ViewModel): TemplateResult {
  return html`<div part="notice handoff" class="notice notice--handoff" role="note">
    ${handoffIcon}
    <span>${agentName(vm, item.from)}</span> <span aria-hidden="true">→</span> <span class="sr-only">handed over to</span>
    <span>${agentName(vm, item.to)}</span>
  </div>`;
}

/** A guardrail stopped or withdrew something; its `message` is written for the visitor. */
export function guardrailNotice(item: GuardrailItem): TemplateResult {
  return html`<div part="notice guardrail" class="notice notice--guardrail" role="note">
    ${shieldIcon}<span>${item.message || 'This message was blocked.'}</span>
  </div>`;
}

/** Shown while a run is active but no reply text is streaming yet. */
export function typingIndicator(vm: ViewModel): TemplateResult {
  const name = agentName(vm, vm.currentAgent) || 'Assistant';
  return html`<div class="typing" part="typing">${name} is typing…</div>`;
}
