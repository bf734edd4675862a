import { html, type TemplateResult } from 'lit';
import type { GuardrailItem, HandoffItem } from '@agent-chat/shared';
import type { UiStrings } from '../i18n/en.ts';
import { agentName, type ViewModel } from '../state/view-model.ts';
import { handoffIcon, shieldIcon } from './icons.ts';

/** "Triage → Billing": the conversation moved to another agent. */
export function handoffNotice(item: HandoffItem, vm: ViewModel, t: UiStrings): TemplateResult {
  return html`<div part="notice handoff" class="notice notice--handoff" role="note">
    ${handoffIcon}
    <span>${agentName(vm, item.from)}</span> <span class="handoff__arrow" aria-hidden="true">→</span> <span class="sr-only">${t.handedOverTo}</span>
    <span>${agentName(vm, item.to)}</span>
  </div>`;
}

/** A guardrail stopped or withdrew something; its `message` is written for the visitor. */
export function guardrailNotice(item: GuardrailItem, t: UiStrings): TemplateResult {
  return html`<div part="notice guardrail" class="notice notice--guardrail" role="note">
    ${shieldIcon}<span>${item.message || t.blocked}</span>
  </div>`;
}

/** Shown while a run is active but no reply text is streaming yet. */
export function typingIndicator(vm: ViewModel, t: UiStrings): TemplateResult {
  const name = agentName(vm, vm.currentAgent) || t.assistant;
  return html`<div class="typing" part="typing">${t.typing(name)}</div>`;
}
