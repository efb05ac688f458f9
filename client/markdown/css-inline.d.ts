/** Vite's `?inline` CSS imports: the stylesheet's text, for a constructed sheet. */

declare module '*.css?inline' {
  const css: string;
  export default css;
}
