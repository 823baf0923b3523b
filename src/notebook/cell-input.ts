// An input cell's life: its value is its control's, or the one set from outside (the page, --set) while the
// declaration's range allows it; a value the edited declaration no longer allows is forgotten.
import { inputValue, type InputSpec, type InputValue } from './inputs.ts';

export function inputCell(name: string, spec: InputSpec, set: InputValue | undefined, forget: () => void) {
  let value = spec.value;
  if (set !== undefined) {
    try {
      value = inputValue(name, spec, set);
    } catch {
      forget();
    }
  }
  return { input: { ...spec, value }, fn: () => value };
}
