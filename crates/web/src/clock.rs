//! Wall time to virtual time: the host side of the core's time model. The browser hands the
//! app requestAnimationFrame timestamps; this module turns their deltas, capped and scaled by
//! the chosen speed, into whole virtual milliseconds for `Cluster::advance`.

use kplay_core::Millis;

/// The playback speeds offered in the header, as (label, factor): slow motion to watch a
/// rollout pod by pod, fast-forward to skip waits.
pub const SPEEDS: [(&str, f64); 8] = [
    ("0.1x", 0.1),
    ("0.25x", 0.25),
    ("0.5x", 0.5),
    ("1x", 1.0),
    ("2x", 2.0),
    ("4x", 4.0),
    ("8x", 8.0),
    ("16x", 16.0),
];

/// The index of 1x in [`SPEEDS`], the speed the page starts at.
pub const NORMAL_SPEED: usize = 3;

/// The longest wall-clock gap one frame may account for: after a background tab or a long
/// pause in the browser, the simulation resumes instead of jumping ahead.
const MAX_FRAME_MS: f64 = 250.0;

/// The script time a frame aims at, in wall-clock ms: inside the 8 ms the page is budgeted
/// (issue 7's p95 at 300 pods) by the cost of one more step of a rollout, which a frame
/// cannot split (up to 3 ms in Wasm at 300 pods), and the browser's own work around the
/// frame callback; the rest of a 60 Hz frame is left to style, layout and paint. Drawing
/// comes first; the simulation gets what drawing left (see [`frame_budget`]).
/// When timers are due faster than that (a rollout of hundreds of pods), virtual time moves
/// slower than chosen, instead of the page stuttering; the header then says so.
pub const FRAME_SCRIPT_MS: f64 = 5.0;

/// The least a frame gives the simulation, in wall-clock ms, however long drawing takes: time
/// must keep moving.
const MIN_SIMULATION_MS: f64 = 1.0;

/// The question [`kplay_core::Cluster::advance_within`] asks before each timer of a frame that
/// started at `start` (page clock, ms), when drawing is expected to take `drawing` ms: whether
/// the frame's simulation time (what [`FRAME_SCRIPT_MS`] leaves after drawing) would be
/// overrun by one more timer, expected to cost what the last one did.
pub fn frame_budget(start: f64, drawing: f64) -> impl Fn() -> bool {
    let budget = (FRAME_SCRIPT_MS - drawing).max(MIN_SIMULATION_MS);
    let last = std::cell::Cell::new(start);
    move || {
        let now = wall_ms();
        let previous = last.replace(now);
        now + (now - previous) - start > budget
    }
}

/// What drawing a frame costs (reading the snapshot, rendering, updating the DOM), measured
/// from the end of the simulation's part to the app's `rendered`. The estimate follows a
/// costlier frame at once and a cheaper one slowly, so that one quiet frame does not hand the
/// simulation time the next busy one needs.
#[derive(Debug, Default)]
pub struct DrawingCost {
    since: Option<f64>,
    estimate: f64,
}

impl DrawingCost {
    /// Marks the start of drawing (page clock, ms).
    pub fn start(&mut self, now: f64) {
        self.since = Some(now);
    }

    /// Marks the end of drawing (page clock, ms), if it was started and not yet ended.
    pub fn finish(&mut self, now: f64) {
        if let Some(since) = self.since.take() {
            let cost = (now - since).max(0.0);
            self.estimate = if cost >= self.estimate {
                cost
            } else {
                self.estimate * 0.8 + cost * 0.2
            };
        }
    }

    /// The expected cost of drawing the next frame, in ms.
    pub fn estimate(&self) -> f64 {
        self.estimate
    }
}

/// The page's clock (`performance.now()`), in ms: what frame budgets are measured on.
pub fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Converts frame timestamps into virtual milliseconds, carrying the fractions so that slow
/// speeds (0.25x of a 16.7 ms frame) lose no time.
#[derive(Debug, Default)]
pub struct FrameClock {
    last: Option<f64>,
    carry: f64,
}

impl FrameClock {
    /// The virtual milliseconds to advance for a frame at `timestamp` (ms, as
    /// requestAnimationFrame gives it) at `speed`. The first frame after [`FrameClock::pause`]
    /// only sets the reference point.
    pub fn tick(&mut self, timestamp: f64, speed: f64) -> Millis {
        let delta = match self.last {
            Some(last) => (timestamp - last).clamp(0.0, MAX_FRAME_MS),
            None => 0.0,
        };
        self.last = Some(timestamp);
        self.carry += delta * speed;
        let whole = self.carry.floor();
        self.carry -= whole;
        // `whole` is at most MAX_FRAME_MS x the largest speed, far inside u64.
        whole as Millis
    }

    /// Forgets the last frame, so that time spent paused is not replayed on resume.
    pub fn pause(&mut self) {
        self.last = None;
    }
}

/// A virtual instant as the header shows it: `m:ss`, or `h:mm:ss` past an hour.
pub fn format_elapsed(now: Millis) -> String {
    let seconds = now / 1_000;
    let (h, m, s) = (seconds / 3_600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_scale_cap_and_carry() {
        let mut clock = FrameClock::default();
        assert_eq!(
            clock.tick(1_000.0, 1.0),
            0,
            "first frame sets the reference"
        );
        assert_eq!(clock.tick(1_016.0, 1.0), 16);
        assert_eq!(clock.tick(1_032.0, 8.0), 128);
        assert_eq!(clock.tick(5_000.0, 1.0), 250, "a long gap is capped");
        // 0.25 x 10 ms = 2.5 ms: the half carries into the next frame.
        assert_eq!(clock.tick(5_010.0, 0.25), 2);
        assert_eq!(clock.tick(5_020.0, 0.25), 3);
        clock.pause();
        assert_eq!(clock.tick(9_000.0, 1.0), 0, "paused time is not replayed");
    }

    #[test]
    fn drawing_cost_rises_at_once_and_falls_slowly() {
        let mut cost = DrawingCost::default();
        cost.finish(5.0);
        assert_eq!(cost.estimate(), 0.0, "not started: nothing measured");
        // (start, end, estimate after)
        let table = [
            (0.0, 4.0, 4.0),
            (10.0, 11.0, 3.4),
            (20.0, 21.0, 2.92),
            (30.0, 36.0, 6.0),
        ];
        for (start, end, expected) in table {
            cost.start(start);
            cost.finish(end);
            assert!((cost.estimate() - expected).abs() < 1e-9, "{start}..{end}");
        }
        cost.finish(50.0);
        assert_eq!(
            cost.estimate(),
            6.0,
            "a frame that did not draw measures nothing"
        );
    }

    #[test]
    fn elapsed_time_reads_like_a_stopwatch() {
        let table = [
            (0, "0:00"),
            (999, "0:00"),
            (61_500, "1:01"),
            (3_599_000, "59:59"),
            (3_723_000, "1:02:03"),
        ];
        for (ms, text) in table {
            assert_eq!(format_elapsed(ms), text, "{ms}");
        }
    }
}
