//! Charts drawn on the server as SVG: stacked bars and lines over days. No script and no
//! library: the page shows the same figures with scripts off, and tests can read them. Each bar
//! and point carries a `<title>`, which browsers show on hover.

use crate::html;
use crate::markup::{concat, Html};

const W: f64 = 760.0;
const H: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// One series: its name (for the legend), colour, and a value per label.
pub struct Series {
    pub name: String,
    pub colour: &'static str,
    pub values: Vec<Option<f64>>,
    /// What each value is made of, for its tooltip (a rate's "3 / 24"); empty for none.
    pub notes: Vec<String>,
}

impl Series {
    pub fn new(name: &str, colour: &'static str, values: Vec<Option<f64>>) -> Series {
        Series { name: name.to_owned(), colour, values, notes: Vec::new() }
    }

    fn note(&self, i: usize) -> String {
        match self.notes.get(i) {
            Some(n) if !n.is_empty() => format!(" ({n})"),
            _ => String::new(),
        }
    }
}

fn n1(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A round upper bound for the axis.
fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

/// A round upper bound for an axis of counts: four whole-number steps (1, 2, 5 × 10ⁿ each), so
/// no tick reads "2.5 declarations".
fn nice_count_max(v: f64) -> f64 {
    let quarter = (v / 4.0).max(1.0);
    let p = 10f64.powf(quarter.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= quarter {
            return 4.0 * m * p;
        }
    }
    40.0 * p
}

/// Which labels of the x axis are written: about eight, always the first and the last, and none
/// so close to the last that they would overlap it.
fn shown_labels(n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let step = n.div_ceil(8).max(1);
    let mut v: Vec<usize> = (0..n).step_by(step).filter(|i| n - 1 - i >= step.div_ceil(2) || *i == n - 1).collect();
    if v.last() != Some(&(n - 1)) {
        v.push(n - 1);
    }
    v
}

fn frame(labels: &[String], max: f64, unit: &str) -> Html {
    let plot_h = H - TOP - BOTTOM;
    let whole = max.fract() == 0.0 && (max / 4.0).fract() == 0.0;
    let grid = concat((0..=4).map(|i| {
        let v = max * f64::from(i) / 4.0;
        let text = if whole { format!("{v:.0}{unit}") } else { format!("{}{}", n1(v), unit) };
        let y = TOP + plot_h - plot_h * f64::from(i) / 4.0;
        html!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" class=\"grid\"/><text x=\"{}\" y=\"{}\" class=\"ylab\">{}</text>",
            n1(LEFT),
            n1(W - RIGHT),
            n1(y),
            n1(y),
            n1(LEFT - 6.0),
            n1(y + 4.0),
            text
        )
    }));
    let bw = (W - LEFT - RIGHT) / labels.len().max(1) as f64;
    let shown = shown_labels(labels.len());
    let xl = concat(labels.iter().enumerate().filter(|(i, _)| shown.contains(i)).map(|(i, lab)| {
        let x = LEFT + bw * (i as f64 + 0.5);
        let short = if lab.len() == 10 { lab[5..].to_owned() } else { lab.clone() };
        html!("<text x=\"{}\" y=\"{}\" class=\"xlab\">{}</text>", n1(x), n1(H - 8.0), short)
    }));
    concat([grid, xl])
}

fn legend(series: &[Series]) -> Html {
    concat(series.iter().map(|s| {
        html!("<span class=\"key\"><i class=\"sw\" data-colour=\"{}\" style=\"background:{}\"></i>{}</span>", s.colour, s.colour, s.name)
    }))
}

fn svg(id: &str, title: &str, body: Html, series: &[Series]) -> Html {
    html!(
        "<figure class=\"chart\" id=\"{}\"><figcaption>{}</figcaption><svg viewBox=\"0 0 760 240\" role=\"img\" aria-label=\"{}\">{}</svg><div class=\"legend\">{}</div></figure>",
        id,
        title,
        title,
        body,
        legend(series)
    )
}

/// Bars per label, the series stacked.
pub fn stacked_bars(id: &str, title: &str, labels: &[String], series: &[Series], unit: &str) -> Html {
    let totals: Vec<f64> =
        (0..labels.len()).map(|i| series.iter().map(|s| s.values.get(i).copied().flatten().unwrap_or(0.0)).sum()).collect();
    let top = totals.iter().copied().fold(0.0, f64::max);
    // Counts (every value whole, no unit) get whole-number ticks.
    let counts = unit.is_empty() && series.iter().all(|s| s.values.iter().flatten().all(|v| v.fract() == 0.0));
    let max = if counts { nice_count_max(top) } else { nice_max(top) };
    let plot_h = H - TOP - BOTTOM;
    let bw = (W - LEFT - RIGHT) / labels.len().max(1) as f64;
    let mut bars = Html::new();
    for (i, label) in labels.iter().enumerate() {
        let mut y = TOP + plot_h;
        for s in series {
            let v = s.values.get(i).copied().flatten().unwrap_or(0.0);
            if v <= 0.0 {
                continue;
            }
            let h = plot_h * v / max;
            y -= h;
            bars.push(html!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" data-series=\"{}\" data-value=\"{}\"><title>{} · {}: {}{}{}</title></rect>",
                n1(LEFT + bw * i as f64 + bw * 0.15),
                n1(y),
                n1(bw * 0.7),
                n1(h),
                s.colour,
                s.name,
                n1(v),
                label,
                s.name,
                if counts { format!("{v:.0}") } else { n1(v) },
                unit,
                s.note(i)
            ));
        }
    }
    svg(id, title, concat([frame(labels, max, unit), bars]), series)
}

/// Lines per series over the labels; gaps where a value is missing.
pub fn lines(id: &str, title: &str, labels: &[String], series: &[Series], unit: &str, fixed_max: Option<f64>) -> Html {
    let max = fixed_max.unwrap_or_else(|| nice_max(series.iter().flat_map(|s| s.values.iter().flatten().copied()).fold(0.0, f64::max)));
    let plot_h = H - TOP - BOTTOM;
    let bw = (W - LEFT - RIGHT) / labels.len().max(1) as f64;
    let mut out = Html::new();
    for s in series {
        let mut d = String::new();
        let mut pen_up = true;
        let mut dots = Html::new();
        for (i, v) in s.values.iter().enumerate() {
            let Some(v) = v else {
                pen_up = true;
                continue;
            };
            let x = LEFT + bw * (i as f64 + 0.5);
            let y = TOP + plot_h - plot_h * v.min(max) / max;
            d.push_str(&format!("{}{:.1},{:.1} ", if pen_up { "M" } else { "L" }, x, y));
            pen_up = false;
            dots.push(html!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\" data-series=\"{}\" data-value=\"{}\" data-note=\"{}\"><title>{} · {}: {}{}{}</title></circle>",
                n1(x),
                n1(y),
                s.colour,
                s.name,
                n1(*v),
                s.notes.get(i).cloned().unwrap_or_default(),
                labels[i],
                s.name,
                n1(*v),
                unit,
                s.note(i)
            ));
        }
        out.push(html!("<path d=\"{}\" stroke=\"{}\" fill=\"none\" stroke-width=\"2\"/>{}", d.trim_end(), s.colour, dots));
    }
    svg(id, title, concat([frame(labels, max, unit), out]), series)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_values() {
        let labels = vec!["2026-03-01".to_owned(), "2026-03-02".to_owned()];
        let s = vec![Series::new("a", "#123456", vec![Some(2.0), Some(1.0)]), Series::new("b", "#654321", vec![Some(3.0), None])];
        let h = stacked_bars("t", "T", &labels, &s, " h");
        assert_eq!(h.as_str().matches("<rect").count(), 3);
        assert!(h.as_str().contains("data-value=\"3.0\""));
        assert!(h.as_str().contains("03-02"));
        let l = lines("l", "L", &labels, &s, "%", Some(100.0));
        assert_eq!(l.as_str().matches("<circle").count(), 3);
        assert_eq!(nice_max(7.3), 10.0);
        assert_eq!(nice_max(0.0), 1.0);
    }

    #[test]
    fn count_axes_have_whole_ticks_and_the_last_day_is_labelled() {
        for (top, max) in [(0.0, 4.0), (3.0, 4.0), (5.0, 8.0), (9.0, 20.0), (37.0, 40.0), (41.0, 80.0), (130.0, 200.0)] {
            assert_eq!(nice_count_max(top), max, "{top}");
        }
        let labels: Vec<String> = (1..=30).map(|d| format!("2026-03-{d:02}")).collect();
        let s = vec![Series::new("n", "#123456", (0..30).map(|i| Some(f64::from(i % 3))).collect())];
        let h = stacked_bars("c", "C", &labels, &s, "");
        assert!(h.as_str().contains(">03-30</text>"), "the last day is labelled");
        for tick in [">0<", ">1<", ">2<", ">3<", ">4<"] {
            assert!(h.as_str().contains(tick), "{tick}");
        }
        assert!(!h.as_str().contains(".5<"), "no half declarations");
        for n in [1, 7, 30, 90, 365] {
            let v = shown_labels(n);
            assert_eq!((v[0], *v.last().unwrap()), (0, n - 1), "{n}");
            assert!(v.len() <= 10, "{n}: {v:?}");
        }
    }
}
