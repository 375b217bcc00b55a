/**
 * The HTML report's colours and CSS. One meaning per colour, the same in every chart, tile and badge:
 *
 * - active       green   — evidence of activity inside the window
 * - inactive     red     — proven idle: a page-view source covers the person and shows nothing (removable)
 * - unknown      amber   — no configured source can see what they do: not proven idle
 * - unidentified grey    — seats Atlassian counts whose holders we could not read (incomplete group reads)
 * - purchased    blue    — seats paid for
 * - remaining    teal    — purchased − used
 * - stale        slate   — no activity inside the window (the histogram's earlier and never-seen bars)
 * - partial      hatched orange border — a withheld (partial) figure
 *
 * Products in "seats over time" get their own dark hues (SERIES), none of which is in the semantic palette.
 */
export const PALETTE = {
  active: "#22a06b",
  inactive: "#c9372c",
  unknown: "#e2b203",
  unidentified: "#8590a2",
  purchased: "#1d7afc",
  remaining: "#2898bd",
  stale: "#44546f",
  partial: "#fea362",
} as const;

export const SERIES = ["#5e4db2", "#943d73", "#7f5f01", "#216e4e", "#09326c", "#ae2e24"];

export const CSS = `
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2125; background: #f7f8f9; }
  header { background: #0c66e4; color: #fff; padding: 20px 32px; }
  header h1 { margin: 0 0 4px; font-size: 24px; }
  main { padding: 24px 32px; max-width: 1280px; }
  .headline { font-size: 18px; font-weight: 600; margin: 0 0 16px; }
  .cards { display: flex; gap: 16px; flex-wrap: wrap; margin-bottom: 24px; }
  .card { background: #fff; border-radius: 8px; padding: 16px 20px; min-width: 150px; box-shadow: 0 1px 2px rgba(0,0,0,.12); border-top: 4px solid transparent; }
  .card .value { font-size: 30px; font-weight: 650; }
  .card .label { color: #44546f; }
  .card .note { color: #626f86; font-size: 12px; }
  .card.inactive { border-top-color: ${PALETTE.inactive}; }
  .card.unknown { border-top-color: ${PALETTE.unknown}; }
  .card.active { border-top-color: ${PALETTE.active}; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 20px; }
  section { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 2px rgba(0,0,0,.12); margin-bottom: 20px; }
  section h2 { font-size: 17px; margin: 0 0 12px; }
  .chart { position: relative; height: 300px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #dcdfe4; vertical-align: top; }
  th { color: #44546f; font-weight: 600; }
  th[data-sort] { cursor: pointer; user-select: none; }
  th[aria-sort="ascending"]::after { content: " ▲"; }
  th[aria-sort="descending"]::after { content: " ▼"; }
  td.num, th.num { text-align: right; }
  .partial { background: #fff7d6; border: 2px solid ${PALETTE.partial}; padding: 12px 16px; border-radius: 6px; margin-bottom: 20px; }
  .partial ul, .warnings ul { margin: 6px 0 0; padding-left: 20px; }
  .warnings { background: #ffeceb; border: 1px solid ${PALETTE.inactive}; padding: 12px 16px; border-radius: 6px; margin-bottom: 20px; }
  .caveat { color: #44546f; font-size: 13px; }
  .badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
  .badge.inactive { background: ${PALETTE.inactive}; }
  .badge.unknown { background: ${PALETTE.unknown}; color: #1d2125; }
  .controls { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 10px; align-items: center; }
  .controls input[type=search] { min-width: 260px; padding: 4px 8px; }
  .muted { color: #626f86; font-size: 12px; }
`;
