/**
 * Preloaded into the dynalite suite's mocha (`--require`). The suite's assertion helpers send
 * several requests at once and end the test at the first failing answer; the answers still on
 * their way then fail assertions after that test, while a later one runs. Mocha aborts the whole
 * run when such a late error lands on a test that already passed, so one wrong answer would hide
 * every test after it. A test of this suite only passes once all its answers were checked, so a
 * late error on a passed test belongs to an earlier, already failed test: it is ignored here.
 */
'use strict';
const Runner = require(require.resolve('mocha/lib/runner', { paths: [process.cwd()] }));

const uncaught = Runner.prototype._uncaught;
Runner.prototype._uncaught = function lateFailureAware(err) {
  if (this.currentRunnable && this.currentRunnable.isPassed()) return;
  return uncaught.call(this, err);
};
