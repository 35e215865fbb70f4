// GOV.UK Frontend styles its JavaScript-enhanced components only when the page says it can run them.
document.body.className += ' js-enabled govuk-frontend-supported'
