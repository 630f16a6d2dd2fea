// Used only when the build could not install nhsuk-frontend from npm (see crates/web/build.rs).
export function initAll() {}
