/** The console's HTML shell; everything it shows is drawn by its script. */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>globaltables console</title>
<link rel="stylesheet" href="/console.css">
</head>
<body>
<div id="app"><noscript>The console needs JavaScript.</noscript></div>
<script src="/console.js"></script>
</body>
</html>
`;
}
