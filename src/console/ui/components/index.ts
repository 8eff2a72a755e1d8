/** The console's views: each takes the state, and (live only) actions; without actions a view is read-only. */
import './console.css';
export { RegionGraph, orderedPair, pairKey } from './RegionGraph.js';
export { LinkControls } from './LinkControls.js';
export { TableView } from './TableView.js';
export { KeyHistory } from './KeyHistory.js';
export { ConflictFeed } from './ConflictFeed.js';
export { LagChart } from './LagChart.js';
export { ConvergenceBadges } from './ConvergenceBadges.js';
export { ItemForm } from './ItemForm.js';
export { RegionControls } from './RegionControls.js';
export * from './actions.js';
export * from './colors.js';
export * from './format.js';
