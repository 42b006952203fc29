"""The page of `pvm trace` (page.html, page.css, page.js) and its vendored graph layout."""
