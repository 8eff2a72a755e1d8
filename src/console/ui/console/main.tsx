import { render } from 'preact';

render(<h1>globaltables console</h1>, document.getElementById('app')!);
