/** Exit codes the command line shares with what launches it (a scenario starting region processes). */

/** A region whose port another program took first: the launcher may retry on other ports. */
export const PORT_IN_USE_EXIT_CODE = 3;
