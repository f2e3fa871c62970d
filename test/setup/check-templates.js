// Read by CardRenderer (src/teams/card-renderer.ts): render each card with the compiled expander
// and with adaptivecards-templating, and throw if they differ. Child servers inherit it.
process.env.SWITCHBOARD_CHECK_TEMPLATES = '1';
