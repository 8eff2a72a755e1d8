/** The console's state model: pure folding of feed and console events, and what the views derive from it. */
export * from './consoleState.js';
export * from './events.js';
export * from './keys.js';
export * from './reduce.js';
export * from './links.js';
export * from './tableView.js';
export * from './lag.js';
export { writeId } from './tables.js';
