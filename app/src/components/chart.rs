//! Charts drawn on the server as SVG: they need no script, print, and
//! scale with the page. Each has a title and a description for screen
//! readers, a legend in HTML, and is meant to sit beside a table with the
//! same numbers (the table is the accessible form; the chart the quick one).

use leptos::prelude::*;

/// One series: its name in the legend, its colour class (`s-blue`,
/// `s-green`, `s-red`, `s-grey`) and one value per category (`None`: no
/// value, e.g. a share of nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: &'static str,
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

/// The drawing's coordinate width; the page scales it to its column.
const WIDTH: f64 = 480.0;

/// A round upper bound for the axis and its step: 1, 2 or 5 times a power
/// of ten, at most five steps.
pub fn axis(max: f64) -> (f64, f64) {
    if !(max.is_finite() && max > 0.0) {
        return (1.0, 1.0);
    }
    let mut power = 1.0;
    while power * 10.0 <= max {
        power *= 10.0;
    }
    while power > max && power > 1.0 {
        power /= 10.0;
    }
    // The finest round step (never below 1: the values are counts or
    // shares) that needs at most five.
    let step = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .filter(|s| *s >= 1.0)
        .find(|s| (max / s).ceil() <= 5.0)
        .unwrap_or(10.0 * power);
    ((max / step).ceil().max(1.0) * step, step)
}

fn number(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[component]
fn Legend(series: Vec<Series>) -> impl IntoView {
    view! {
        <ul class="chart-legend" aria-hidden="true">
            {series.into_iter().map(|s| view! {
                <li><span class=format!("swatch {}", s.class)></span>{s.name}</li>
            }).collect_view()}
        </ul>
    }
}

/// Grouped columns, one group per category (a month), one column per series.
#[component]
pub fn ColumnChart(
    /// Unique on the page: the title's and description's ids derive from it.
    id: &'static str,
    title: String,
    /// What the chart shows, in a sentence (read by screen readers).
    description: String,
    /// Axis labels under the groups, and an optional second line (a year).
    categories: Vec<(String, Option<String>)>,
    series: Vec<Series>,
) -> impl IntoView {
    let (top, bottom, left, right) = (12.0, 40.0, 34.0, 6.0);
    let height = 220.0;
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .fold(0.0, f64::max);
    let (top_value, step) = axis(max);
    let y = move |v: f64| top + plot_h - v / top_value * plot_h;
    let groups = categories.len().max(1);
    let group_w = plot_w / groups as f64;
    let bar_w = group_w * 0.8 / series.len().max(1) as f64;
    // Past a dozen groups the labels would touch: every other one.
    let label_every = if groups > 12 { 2 } else { 1 };
    let ticks = (0..=((top_value / step).round() as usize))
        .map(|i| i as f64 * step)
        .collect::<Vec<_>>();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    view! {
        <figure class="chart">
            <Legend series=series.clone()/>
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=format!("{title_id} {desc_id}")
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id.clone()>{title}</title>
                <desc id=desc_id.clone()>{description}</desc>
                {ticks.into_iter().map(|t| view! {
                    <line class="grid" x1=left x2=WIDTH - right y1=y(t) y2=y(t)/>
                    <text class="tick" x=left - 4.0 y=y(t) + 4.0 text-anchor="end">{number(t)}</text>
                }).collect_view()}
                {categories.iter().enumerate().map(|(i, (label, second))| {
                    let x0 = left + i as f64 * group_w + group_w * 0.1;
                    let centre = left + (i as f64 + 0.5) * group_w;
                    let shown = i % label_every == 0 || second.is_some();
                    view! {
                        {series.iter().enumerate().filter_map(|(k, s)| {
                            let v = s.values.get(i).copied().flatten()?;
                            Some(view! {
                                <rect
                                    class=s.class
                                    x=x0 + k as f64 * bar_w
                                    y=y(v)
                                    width=(bar_w - 1.0).max(1.0)
                                    height=(top + plot_h - y(v)).max(0.0)
                                />
                            })
                        }).collect_view()}
                        {shown.then(|| view! {
                            <text class="tick" x=centre y=top + plot_h + 15.0 text-anchor="middle">{label.clone()}</text>
                        })}
                        {second.clone().map(|s| view! {
                            <text class="tick" x=centre y=top + plot_h + 31.0 text-anchor="middle">{s}</text>
                        })}
                    }
                }).collect_view()}
                <line class="axis" x1=left x2=WIDTH - right y1=top + plot_h y2=top + plot_h/>
            </svg>
        </figure>
    }
}

/// Horizontal bars, one row per category (a department, named above its
/// bars), one bar per series, on a scale from 0 to `max`.
#[component]
pub fn BarChart(
    id: &'static str,
    title: String,
    description: String,
    categories: Vec<String>,
    series: Vec<Series>,
    /// The scale's end (100 for shares).
    max: f64,
    /// After each value: `%`, or empty.
    unit: &'static str,
) -> impl IntoView {
    let (label_h, bar_h, gap, row_gap) = (18.0, 14.0, 3.0, 12.0);
    let row_h = label_h + series.len() as f64 * (bar_h + gap) + row_gap;
    let height = (categories.len() as f64 * row_h).max(row_h);
    let bar_space = WIDTH - 70.0;
    let max = if max > 0.0 { max } else { 1.0 };
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    view! {
        <figure class="chart">
            <Legend series=series.clone()/>
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=format!("{title_id} {desc_id}")
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id.clone()>{title}</title>
                <desc id=desc_id.clone()>{description}</desc>
                {categories.into_iter().enumerate().map(|(i, name)| {
                    let y0 = i as f64 * row_h;
                    view! {
                        <text class="row-label" x=0 y=y0 + 13.0>{name}</text>
                        {series.iter().enumerate().map(|(k, s)| {
                            let top = y0 + label_h + k as f64 * (bar_h + gap);
                            let value = s.values.get(i).copied().flatten();
                            let w = value.map_or(0.0, |v| (v / max).clamp(0.0, 1.0) * bar_space);
                            let text = value.map_or_else(|| "—".to_string(), |v| format!("{}{unit}", number(v)));
                            view! {
                                <rect class="track" x=0 y=top width=bar_space height=bar_h/>
                                <rect class=s.class x=0 y=top width=w height=bar_h/>
                                <text class="tick" x=bar_space + 6.0 y=top + bar_h - 3.0>{text}</text>
                            }
                        }).collect_view()}
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::axis;

    #[test]
    fn the_axis_ends_on_a_round_number_in_at_most_five_steps() {
        assert_eq!(axis(0.0), (1.0, 1.0));
        assert_eq!(axis(3.0), (3.0, 1.0));
        assert_eq!(axis(7.0), (8.0, 2.0));
        assert_eq!(axis(10.0), (10.0, 2.0));
        assert_eq!(axis(47.0), (50.0, 10.0));
        assert_eq!(axis(230.0), (250.0, 50.0));
        assert_eq!(axis(100.0), (100.0, 20.0));
        for max in [1.0, 9.0, 11.0, 99.0, 101.0, 12345.0] {
            let (top, step) = axis(max);
            assert!(top >= max && top / step <= 5.0, "{max}: {top} {step}");
        }
    }
}
