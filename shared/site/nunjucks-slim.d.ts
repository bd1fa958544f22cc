// Nunjucks' runtime without its compiler (the site's templates are precompiled): the same API as `nunjucks`.
declare module 'nunjucks/browser/nunjucks-slim.js' {
  import nunjucks from 'nunjucks';
  export default nunjucks;
}
