/**
 * How a state looks in both clients: a codicon id, a theme color id and the
 * state in words. The extension wraps the ids in ThemeIcon and ThemeColor.
 */
export interface Look {
  readonly icon: string;
  /** A theme color id; null: the theme's default foreground. */
  readonly color: string | null;
  /** The state in words; a description starts with it, the CLI shows it in its STATE column. */
  readonly label: string;
}

/** The theme colors the looks use. */
export const GREEN = 'charts.green';
export const YELLOW = 'charts.yellow';
export const RED = 'charts.red';
export const BLUE = 'charts.blue';
export const GREY = 'disabledForeground';
