import { render } from 'preact';
render(<h1>replay</h1>, document.getElementById('app')!);
