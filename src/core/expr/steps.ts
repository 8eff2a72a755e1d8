/**
 * Recursive descent on a heap stack. The 4 KB expression limit still allows about 4,000 levels of
 * parentheses or function calls, more than node's call stack holds while the parser is not yet
 * optimized; a parse method is written as a generator that yields the sub-parse it needs and
 * receives its result, and runSteps drives them from an array, so no input can overflow the stack.
 */

/** One parse method in progress: yields the steps it descends into, returns its result. */
// The value sent back into a step is the result of the step it yielded, whose type only the
// yielding line knows; `any` keeps those lines free of casts.
export type Step<T> = Generator<Step<unknown>, T, any>;

const catching = new WeakSet<Step<unknown>>();

/**
 * Marks a step that catches what the steps it yields throw. An error skips every step between
 * where it was thrown and the nearest such step at once, as an exception unwinds a call stack:
 * resuming each one only to rethrow would make a failure deep in a nested expression cost as
 * much as the nesting again, and a parse that retries at every level quadratic in throws.
 */
export function catches<T>(step: Step<T>): Step<T> {
  catching.add(step);
  return step;
}

export function runSteps<T>(root: Step<T>): T {
  const stack: Step<unknown>[] = [root];
  let result: unknown;
  let error: unknown;
  let failed = false;
  for (;;) {
    const top = stack[stack.length - 1];
    let next: IteratorResult<Step<unknown>, unknown>;
    try {
      next = failed ? top.throw(error) : top.next(result);
    } catch (thrown) {
      // The step is done; the error goes to the nearest step that catches.
      stack.pop();
      while (stack.length && !catching.has(stack[stack.length - 1])) stack.pop();
      if (!stack.length) throw thrown;
      error = thrown;
      failed = true;
      continue;
    }
    failed = false;
    if (next.done) {
      stack.pop();
      if (!stack.length) return next.value as T;
      result = next.value;
    } else {
      stack.push(next.value);
      result = undefined;
    }
  }
}
