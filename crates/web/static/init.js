// Loaded synchronously at the start of <body> (an external file, so the Content-Security-Policy
// needs no inline script): marks the page as having JavaScript, as the NHS.UK page template does,
// so components that enhance with JS can style themselves before they initialise.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
