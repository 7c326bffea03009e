//! A teacher's whole journey with a course of their own, through the real `ladder` binary: start
//! from `ladder pack new`, write the course (4 skills with prerequisites, 3 lessons, 25 items of
//! every kind, with hints, worked solutions, feedback for common wrong answers, pictures and
//! maths), make the usual mistakes and read what the validator says, build, install, have
//! learners practise it through `ladder serve --stdio` (docs/api.md), read the class report,
//! and upgrade the pack while a learner has a session open.
//!
//! The shipped model does not know this pack, so it is scored by the built-in predictor (skills
//! and the pack's difficulty priors), the case every teacher's own pack is in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

mod common;
use common::Server;

const COURSE: &str = "speed-distance";

// ----- the teacher's pack --------------------------------------------------------------------

const SKILLS: &str = r#"[[skill]]
id = "time-units"
name = "Hours and minutes"
description = "Changing minutes to hours and back, as decimals and fractions."

[[skill]]
id = "speed"
name = "Finding speed"
description = "Speed is distance divided by time."
prerequisites = ["time-units"]

[[skill]]
id = "distance"
name = "Finding distance and time"
description = "Distance is speed times time; time is distance divided by speed."
prerequisites = ["speed"]

[[skill]]
id = "average-speed"
name = "Average speed"
description = "Total distance divided by total time."
prerequisites = ["distance"]
"#;

const LESSON_TIME: &str = r#"[lesson]
id = "time"
title = "Hours and minutes"
skills = ["time-units"]
intro = '''
An hour has **60 minutes**. To turn minutes into hours, divide by 60:
30 minutes is $\frac{30}{60} = \frac{1}{2} = 0.5$ hours.
'''

[[item]]
id = "time-001"
kind = "numeric"
skills = ["time-units"]
difficulty = -1.5
prompt = "How many hours is 30 minutes?"
answer = 0.5
fractions = true
unit = "h"
hints = ["An hour has 60 minutes.", 'Divide the minutes by 60: $\frac{30}{60}$.']
solution = '$30 \text{ min} = \frac{30}{60} \text{ h} = 0.5 \text{ h}$'
feedback = [{ answer = "30", message = "30 is the number of **minutes**. Divide by 60 to get hours." }]

[[item]]
id = "time-002"
kind = "numeric"
skills = ["time-units"]
difficulty = -0.5
prompt = "How many minutes are in 1.25 hours?"
answer = 75
unit = "min"
hints = ["1 hour is 60 minutes; 0.25 hours is a quarter of an hour.", "A quarter of 60 minutes is 15 minutes."]
solution = "$1.25 \\times 60 = 75$ minutes."
feedback = [{ answer = "125", message = "An hour has 60 minutes, not 100: multiply 1.25 by 60." }]

[[item]]
id = "time-003"
kind = "choice"
skills = ["time-units"]
prompt = "Which of these are the same as 1 hour 30 minutes? Pick all that are."
choices = ["1.5 h", "1.3 h", "130 min", "90 min"]
correct = [1, 4]
hints = ["30 minutes is half an hour.", "1 hour is 60 minutes: add the 30 minutes to it."]
solution = "1 hour 30 minutes is $1\\frac{1}{2} = 1.5$ hours, and $60 + 30 = 90$ minutes."

[[item.feedback]]
answer = "2"
message = "1.3 h is 1 hour and 18 minutes (0.3 of 60). Decimal hours are not minutes."

[[item.feedback]]
answer = "1"
message = "Right so far, but there is another one: count the minutes too."

[[item]]
id = "time-004"
kind = "text"
skills = ["time-units"]
difficulty = -2.0
prompt = "What do we call 60 minutes? (one word)"
answers = ["hour", "an hour", "one hour"]
hints = ["A clock's short hand moves from one number to the next in this time."]
solution = "60 minutes make one **hour**."

[[item]]
id = "time-005"
kind = "cloze"
skills = ["time-units"]
prompt = "2 hours and 15 minutes is {{1}} minutes, or {{2}} hours as a decimal."
blanks = [
  { numeric = true, answer = 135 },
  { numeric = true, answer = 2.25, fractions = true },
]
hints = ["2 hours is 120 minutes.", "15 minutes is a quarter of an hour, 0.25 h."]
solution = "$120 + 15 = 135$ minutes, and $2 + 0.25 = 2.25$ hours."

[[item.feedback]]
blank = 2
answer = "2.15"
message = "15 minutes is not 0.15 hours: it is $\\frac{15}{60} = 0.25$ hours."

[[item]]
id = "time-006"
kind = "order"
skills = ["time-units"]
prompt = "Put these times from shortest to longest."
order = ["40 min", "0.75 h", "50 min", "1 h 5 min"]
hints = ["Write each one in minutes first: 0.75 h is three quarters of an hour."]
solution = "0.75 h = 45 min, so: 40 min, 45 min, 50 min, 65 min."

[[item]]
id = "time-007"
kind = "numeric"
skills = ["time-units"]
difficulty = 1.0
prompt = "How many hours is 20 minutes? Give a fraction or at least two decimal places."
answer = 0.3333
tolerance = 0.005
fractions = true
unit = "h"
hints = ["20 minutes is one third of 60 minutes."]
solution = '$\frac{20}{60} = \frac{1}{3} \approx 0.33$ hours.'
feedback = [{ answer = "0.2", message = "0.2 h is 12 minutes. Divide 20 by 60." }]

[[item]]
id = "time-008"
kind = "choice"
skills = ["time-units"]
prompt = '''
The shaded part of the clock shows how long a bus ride took.

![a clock face with a quarter, from 12 to 3, shaded](media/clock-quarter.svg)
'''
choices = ["15 minutes", "25 minutes", "45 minutes"]
correct = [1]
hints = ["The shaded part is a quarter of the clock.", "A quarter of 60 minutes."]
solution = "A quarter of an hour: $60 \\div 4 = 15$ minutes."
feedback = [{ answer = "3", message = "45 minutes is the white part. Look at the shaded part." }]
"#;

const LESSON_SPEED: &str = r#"[lesson]
id = "speed"
title = "Finding speed"
skills = ["speed"]
intro = '''
**Speed** is how far you go in each unit of time:
$$\text{speed} = \frac{\text{distance}}{\text{time}}$$
30 km in 2 hours is $\frac{30}{2} = 15$ km/h.
'''

[[item]]
id = "speed-001"
kind = "numeric"
skills = ["speed"]
difficulty = -1.0
prompt = "A cyclist rides 30 km in 2 hours. What is her speed?"
answer = 15
unit = "km/h"
hints = ["Speed is distance divided by time.", '$\frac{30}{2}$']
solution = '$\frac{30 \text{ km}}{2 \text{ h}} = 15$ km/h'
feedback = [{ answer = "60", message = "You multiplied. Speed is distance **divided** by time." }]

[[item]]
id = "speed-002"
kind = "choice"
skills = ["speed"]
difficulty = -1.5
prompt = "Which formula gives the speed $s$ from the distance $d$ and the time $t$?"
choices = ['$s = \frac{d}{t}$', '$s = d \times t$', '$s = \frac{t}{d}$']
correct = [1]
hints = ["Think of km/h: kilometres **per** hour."]
solution = 'Kilometres per hour: distance divided by time, $s = \frac{d}{t}$.'
feedback = [{ answer = "2", message = "$d \\times t$ grows when you go slower for longer. Speed is distance *per* unit of time." }]

[[item]]
id = "speed-003"
kind = "numeric"
skills = ["speed", "time-units"]
difficulty = 1.0
prompt = "A car drives 90 km in 45 minutes. What is its speed in km/h?"
answer = 120
unit = "km/h"
hints = ["First write 45 minutes in hours.", "45 minutes is 0.75 hours.", '$\frac{90}{0.75}$']
solution = '$45 \text{ min} = 0.75 \text{ h}$, so the speed is $\frac{90}{0.75} = 120$ km/h.'
feedback = [{ answer = "2", message = "That is 2 km **per minute**. Change the time to hours first." }]

[[item]]
id = "speed-004"
kind = "text"
skills = ["speed"]
prompt = "Speed tells you how much ________ is covered in each unit of time. (one word)"
answers = ["distance"]
hints = ["It is measured in km or m."]
solution = "Speed is the **distance** covered per unit of time."
feedback = [{ answer = "time", message = "Time is what we divide by. What is covered?" }]

[[item]]
id = "speed-005"
kind = "cloze"
skills = ["speed"]
prompt = "Speed = {{1}} ÷ {{2}}"
blanks = [
  { answers = ["distance", "d"] },
  { answers = ["time", "t"] },
]
hints = ["The unit km/h says it: km first, then hours."]
solution = "Speed = distance ÷ time."

[[item.feedback]]
blank = 1
answer = "time"
message = "The other way round: distance first."

[[item]]
id = "speed-006"
kind = "choice"
skills = ["speed"]
prompt = "Which of these are speeds? Pick all that are."
choices = ["60 km/h", "5 m/s", "3 hours", "12 km", "100 m per minute"]
correct = [1, 2, 5]
hints = ["A speed is a distance **per** time."]
solution = "60 km/h, 5 m/s and 100 m per minute each give a distance per unit of time."
feedback = [{ answer = "4", message = "12 km is a distance. A speed needs a time as well." }]

[[item]]
id = "speed-007"
kind = "numeric"
skills = ["speed", "time-units"]
difficulty = 0.5
prompt = "A walker covers 10 km in 2 hours 30 minutes. What is her speed?"
answer = 4
unit = "km/h"
hints = ["2 hours 30 minutes is 2.5 hours.", '$\frac{10}{2.5}$']
solution = '$\frac{10}{2.5} = 4$ km/h'
feedback = [{ answer = "5", message = "2 h 30 min is 2.5 hours, not 2." }]

[[item]]
id = "speed-008"
kind = "order"
skills = ["speed"]
difficulty = 1.5
prompt = "Put these from slowest to fastest."
order = ["4 km/h", "1 km in 10 minutes", "2 m/s", "10 km/h"]
hints = ["Write each in km/h.", "1 km in 10 minutes is 6 km/h; 2 m/s is 7.2 km/h."]
solution = "4 km/h < 6 km/h < 7.2 km/h < 10 km/h."
"#;

const LESSON_JOURNEYS: &str = r#"[lesson]
id = "journeys"
title = "Journeys"
skills = ["distance", "average-speed"]
intro = '''
Turn the formula around: $d = s \times t$ and $t = \frac{d}{s}$.
The **average speed** of a journey is the total distance divided by the total time.
'''

[[item]]
id = "dist-001"
kind = "numeric"
skills = ["distance"]
difficulty = -1.0
prompt = "A train travels at 80 km/h for 3 hours. How far does it go?"
answer = 240
unit = "km"
hints = ["Distance is speed times time."]
solution = '$80 \times 3 = 240$ km'

[[item]]
id = "dist-002"
kind = "numeric"
skills = ["distance", "time-units"]
prompt = "A runner at 12 km/h runs for 15 minutes. How many kilometres does she run?"
answer = 3
unit = "km"
hints = ["15 minutes is 0.25 hours.", '$12 \times 0.25$']
solution = '$12 \times 0.25 = 3$ km'
feedback = [{ answer = "180", message = "15 is minutes, but the speed is per **hour**." }]

[[item]]
id = "dist-003"
kind = "numeric"
skills = ["distance"]
prompt = "How many hours does it take to drive 150 km at 60 km/h?"
answer = 2.5
fractions = true
unit = "h"
hints = ['Time is distance divided by speed: $\frac{150}{60}$.']
solution = '$\frac{150}{60} = 2.5$ hours (2 hours 30 minutes).'
feedback = [{ answer = "2.3", message = "2 h 30 min is 2.5 hours: 30 minutes is half an hour." }]

[[item]]
id = "dist-004"
kind = "choice"
skills = ["distance"]
prompt = '''
The graph shows a walk at a steady speed. How far had she walked after 2 hours?

![a straight line from 0 km at 0 h up to 8 km at 2 h](media/walk-graph.svg)
'''
choices = ["8 km", "4 km", "2 km"]
correct = [1]
hints = ["Read the line at 2 hours."]
solution = "At 2 hours the line is at 8 km."
feedback = [{ answer = "2", message = "4 km is where she was after 1 hour." }]

[[item]]
id = "dist-005"
kind = "cloze"
skills = ["distance"]
prompt = "At {{1}} km/h, 100 km takes 2 hours; at 25 km/h it takes {{2}} hours."
blanks = [
  { numeric = true, answer = 50 },
  { numeric = true, answer = 4 },
]
hints = ["Speed is 100 divided by 2.", "Time is 100 divided by 25."]
solution = '$\frac{100}{2} = 50$ km/h and $\frac{100}{25} = 4$ hours.'

[[item]]
id = "avg-001"
kind = "numeric"
skills = ["average-speed"]
prompt = "A bus goes 60 km in the first hour and 40 km in the second. What is its average speed?"
answer = 50
unit = "km/h"
hints = ["Total distance: 100 km. Total time: 2 hours."]
solution = '$\frac{60 + 40}{2} = 50$ km/h'
feedback = [{ answer = "100", message = "100 km is the total distance. Divide by the total time." }]

[[item]]
id = "avg-002"
kind = "choice"
skills = ["average-speed", "distance"]
difficulty = 2.0
prompt = "A cyclist rides 10 km at 10 km/h, then 10 km at 20 km/h. What is her average speed?"
choices = ["15 km/h", '$13\frac{1}{3}$ km/h', "30 km/h"]
correct = [2]
hints = ["Find the time of each part: 1 h and 0.5 h.", "Total distance 20 km, total time 1.5 h."]
solution = '$\frac{20}{1.5} = 13\frac{1}{3}$ km/h. She spends longer at the slow speed.'
feedback = [{ answer = "1", message = "Not the average of the two speeds: divide the total distance by the total time." }]

[[item]]
id = "avg-003"
kind = "text"
skills = ["average-speed"]
difficulty = -1.0
prompt = "Average speed is the total distance divided by the total ______. (one word)"
answers = ["time"]
hints = ["What is speed measured per?"]
solution = "Average speed = total distance ÷ total **time**."

[[item]]
id = "avg-004"
kind = "order"
skills = ["average-speed"]
prompt = "Put the steps for finding an average speed in order."
order = ["Add up the distances", "Add up the times", "Divide the total distance by the total time"]
hints = ["You need both totals before you divide."]
solution = "Add the distances, add the times, then divide distance by time."
"#;

const CLOCK_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">
  <circle cx="60" cy="60" r="55" fill="#fff" stroke="#222" stroke-width="3"/>
  <path d="M60 60 L60 5 A55 55 0 0 1 115 60 Z" fill="#4a90d9"/>
  <line x1="60" y1="60" x2="60" y2="15" stroke="#222" stroke-width="3"/>
</svg>
"##;

const GRAPH_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="220" height="160" viewBox="0 0 220 160">
  <line x1="30" y1="130" x2="210" y2="130" stroke="#222"/>
  <line x1="30" y1="130" x2="30" y2="10" stroke="#222"/>
  <line x1="30" y1="130" x2="190" y2="30" stroke="#d9534f" stroke-width="3"/>
</svg>
"##;

/// The right answer of every item, as `submit_answer` takes it.
fn right(item: &str) -> Value {
    let (kind, value) = match item {
        "time-001" => ("text", json!("0.5")),
        "time-002" => ("text", json!("75")),
        "time-003" => ("choice", json!([1, 4])),
        "time-004" => ("text", json!("hour")),
        "time-005" => ("cloze", json!(["135", "2.25"])),
        "time-006" => ("order", json!([1, 2, 3, 4])),
        "time-007" => ("text", json!("1/3")),
        "time-008" => ("choice", json!([1])),
        "speed-001" => ("text", json!("15")),
        "speed-002" => ("choice", json!([1])),
        "speed-003" => ("text", json!("120")),
        "speed-004" => ("text", json!("distance")),
        "speed-005" => ("cloze", json!(["distance", "time"])),
        "speed-006" => ("choice", json!([1, 2, 5])),
        "speed-007" => ("text", json!("4")),
        "speed-008" => ("order", json!([1, 2, 3, 4])),
        "dist-001" => ("text", json!("240")),
        "dist-002" => ("text", json!("3")),
        "dist-003" => ("text", json!("2.5")),
        "dist-004" => ("choice", json!([1])),
        "dist-005" => ("cloze", json!(["50", "4"])),
        "avg-001" => ("text", json!("50")),
        "avg-002" => ("choice", json!([2])),
        "avg-003" => ("text", json!("time")),
        "avg-004" => ("order", json!([1, 2, 3])),
        // The lesson the upgrade adds.
        "units-001" => ("text", json!("36")),
        "units-002" => ("text", json!("20")),
        other => panic!("no right answer written for {other}"),
    };
    json!({"kind": kind, "value": value})
}

/// A wrong answer of the item's kind, as a learner who has not got it would give.
fn wrong(item: &Value) -> Value {
    match item["kind"].as_str().unwrap() {
        "choice" => {
            // The first option that is not right (positions come with the item).
            let id = item["id"].as_str().unwrap();
            let good = right(id)["value"].clone();
            let pos = item["choices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["position"].as_u64().unwrap())
                .find(|p| !good.as_array().unwrap().contains(&json!(p)))
                .unwrap();
            json!({"kind": "choice", "value": [pos]})
        }
        "order" => {
            let n = item["choices"].as_array().unwrap().len() as u64;
            json!({"kind": "order", "value": (1..=n).rev().collect::<Vec<_>>()})
        }
        "cloze" => {
            json!({"kind": "cloze", "value": vec!["7"; item["blanks"].as_u64().unwrap() as usize]})
        }
        _ => json!({"kind": "text", "value": "7"}),
    }
}

// ----- helpers -------------------------------------------------------------------------------

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run ladder")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// Runs `ladder ARGS`, expects exit status `code`, returns stdout.
fn run(args: &[&str], code: i32) -> String {
    let out = ladder(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "ladder {args:?}\nstdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// What the teacher does with the starter pack: `ladder pack new`, then keep `pack.toml` (with
/// their own description), and replace the example skills, lessons and picture with their own.
fn write_course(root: &Path) -> PathBuf {
    let dir = root.join("speed");
    let out =
        run(&["pack", "new", s(&dir), "--id", COURSE, "--title", "Speed, distance and time"], 0);
    assert!(out.contains(&format!("ladder pack validate {}", s(&dir))), "{out}");
    let manifest = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
    let placeholder =
        "description = \"Describe your course here: who it is for and what it teaches.\"";
    assert!(manifest.contains(placeholder), "the template's description to replace:\n{manifest}");
    let manifest = manifest.replace(
        placeholder,
        "description = \"Hours and minutes, speed, distance and average speed, for ages 11 to 13.\"",
    );
    std::fs::write(dir.join("pack.toml"), manifest).unwrap();
    for old in
        ["lessons/01-first-lesson.toml", "lessons/02-second-lesson.toml", "media/example.svg"]
    {
        std::fs::remove_file(dir.join(old)).unwrap();
    }
    std::fs::write(dir.join("skills.toml"), SKILLS).unwrap();
    std::fs::write(dir.join("lessons/01-time.toml"), LESSON_TIME).unwrap();
    std::fs::write(dir.join("lessons/02-speed.toml"), LESSON_SPEED).unwrap();
    std::fs::write(dir.join("lessons/03-journeys.toml"), LESSON_JOURNEYS).unwrap();
    std::fs::write(dir.join("media/clock-quarter.svg"), CLOCK_SVG).unwrap();
    std::fs::write(dir.join("media/walk-graph.svg"), GRAPH_SVG).unwrap();
    dir
}

/// The course written, built and installed into `root/data`; returns the data directory.
fn installed_course(root: &Path) -> PathBuf {
    let dir = write_course(root);
    let archive = root.join("speed-distance-0.1.0.ladderpack");
    run(&["pack", "build", s(&dir), "-o", s(&archive)], 0);
    let data = root.join("data");
    let out = run(&["--data-dir", s(&data), "pack", "install", s(&archive)], 0);
    assert!(out.contains("installed speed-distance 0.1.0"), "{out}");
    data
}

/// What the journey asks a `ladder serve --stdio` with the model the app ships: it does not know
/// this pack, so the built-in predictor answers for it, as for every teacher's own pack.
trait Journey {
    fn learner(&mut self, name: &str) -> i64;
    fn start_session(&mut self, learner: i64, lesson: Option<&str>, policy: &str) -> i64;
    fn course_map(&mut self, learner: i64) -> Value;
}

impl Journey for Server {
    fn learner(&mut self, name: &str) -> i64 {
        self.call("add_learner", json!({"name": name}))["id"].as_i64().unwrap()
    }

    fn start_session(&mut self, learner: i64, lesson: Option<&str>, policy: &str) -> i64 {
        let r = self.call(
            "start_session",
            json!({"learner": learner, "course": COURSE, "lesson": lesson, "policy": policy}),
        );
        r["session"].as_i64().unwrap()
    }

    fn course_map(&mut self, learner: i64) -> Value {
        self.call("course_map", json!({"learner": learner, "course": COURSE}))
    }
}

/// Lesson id -> (status, locked_because) from a course map.
fn lessons(map: &Value) -> BTreeMap<String, (String, Vec<String>)> {
    map["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let because = l["locked_because"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap().to_owned())
                .collect();
            (
                l["id"].as_str().unwrap().to_owned(),
                (l["status"].as_str().unwrap().to_owned(), because),
            )
        })
        .collect()
}

fn skill<'a>(map: &'a Value, id: &str) -> &'a Value {
    map["skills"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()
}

/// A lesson file, its text as written, and the mistakes put into it (text found, text put).
type Edits<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

// ----- the journey ---------------------------------------------------------------------------

#[test]
fn the_teachers_usual_mistakes_are_each_named_at_their_place_and_the_fixed_pack_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_course(tmp.path());

    // The mistakes of a first pack, all in one go: a misspelt field, 0-based positions, a unit
    // written into a number, a single answer where a list goes, a blank numbered past the list,
    // a picture's name in another case, a misspelt skill, an item id used twice, a tolerance
    // below zero, a difficulty off the scale, TeX in a "..." string.
    let bad = tmp.path().join("bad");
    std::fs::create_dir_all(bad.join("lessons")).unwrap();
    std::fs::create_dir_all(bad.join("media")).unwrap();
    for f in ["pack.toml", "skills.toml", "media/clock-quarter.svg", "media/walk-graph.svg"] {
        std::fs::copy(dir.join(f), bad.join(f)).unwrap();
    }
    let edits: [Edits; 3] = [
        (
            "lessons/01-time.toml",
            LESSON_TIME,
            &[
                ("hints = [\"An hour has", "hint = [\"An hour has"),
                ("correct = [1, 4]", "correct = [0, 3]"),
                ("answer = 75\n", "answer = \"75 min\"\n"),
                ("answers = [\"hour\", \"an hour\", \"one hour\"]", "answers = \"hour\""),
                ("{{2}} hours as a decimal", "{{3}} hours as a decimal"),
                ("(media/clock-quarter.svg)", "(media/Clock-quarter.svg)"),
            ],
        ),
        (
            "lessons/02-speed.toml",
            LESSON_SPEED,
            &[
                (
                    "skills = [\"speed\", \"time-units\"]\ndifficulty = 1.0",
                    "skills = [\"sped\", \"time-units\"]\ndifficulty = 1.0",
                ),
                ("id = \"speed-008\"", "id = \"speed-007\""),
                (
                    "choices = ['$s = \\frac{d}{t}$', '$s = d \\times t$', '$s = \\frac{t}{d}$']",
                    "choices = [\"$s = \\frac{d}{t}$\", '$s = d \\times t$', '$s = \\frac{t}{d}$']",
                ),
            ],
        ),
        (
            "lessons/03-journeys.toml",
            LESSON_JOURNEYS,
            &[
                ("answer = 2.5\n", "answer = 2.5\ntolerance = -0.1\n"),
                ("difficulty = 2.0", "difficulty = 5"),
            ],
        ),
    ];
    for (file, text, changes) in edits {
        let mut t = text.to_owned();
        for (from, to) in changes {
            assert!(t.contains(from), "{file}: {from}");
            t = t.replacen(from, to, 1);
        }
        std::fs::write(bad.join(file), t).unwrap();
    }
    let out = run(&["pack", "validate", s(&bad)], 1);
    let expected = [
        "lessons/01-time.toml:19:1: item[0].hint: unknown field `hint` (did you mean `hints`?)",
        "lessons/01-time.toml:29:10: item[1].answer: expected a number, found a string (write the number alone, 75: a unit goes in `unit`)",
        "lessons/01-time.toml:41:12: item[2].correct[0]: there is no position 0: positions count from 1 (the first choice is 1)",
        "lessons/01-time.toml:59:11: item[3].answers: expected an array of strings, found a string",
        "lessons/01-time.toml:67:10: item[4].prompt: blank {{3}} has no entry in `blanks` (there are 2)",
        "lessons/01-time.toml:110:1: item[7].prompt: image `media/Clock-quarter.svg` is not in the pack, but `media/clock-quarter.svg` is",
        "lessons/02-speed.toml:38:11: item[2].skills[0]: unknown skill `sped` (did you mean `speed`?)",
        "lessons/02-speed.toml:98:6: item[7].id: duplicate item id `speed-007` (first defined at lessons/02-speed.toml:86:6)",
        "lessons/03-journeys.toml:38:13: item[2].tolerance: the tolerance must not be negative",
        "lessons/03-journeys.toml:87:14: item[6].difficulty: difficulty 5 is outside -3 to 3",
        "lessons/02-speed.toml:29:12: warning: item[1].choices[0]: the text contains a form feed (from `\\f`, as in `\\frac`?)",
    ];
    for line in expected {
        assert!(out.lines().any(|l| l.starts_with(line)), "missing {line:?} in:\n{out}");
    }

    // The pack as written validates with no errors and no warnings, builds, and its archive
    // validates the same.
    let out = ladder(&["pack", "validate", s(&dir)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "", "no problem to list");
    assert_eq!(
        text(&out.stderr).trim(),
        "speed-distance 0.1.0: valid (4 skills, 3 lessons, 25 items), 0 warning(s)"
    );
    let v: Value = serde_json::from_str(&run(&["pack", "validate", "--json", s(&dir)], 0)).unwrap();
    assert_eq!((v["errors"].clone(), v["warnings"].clone()), (json!([]), json!([])), "{v}");
    let archive = tmp.path().join("speed-distance-0.1.0.ladderpack");
    run(&["pack", "build", s(&dir), "-o", s(&archive)], 0);
    let w: Value =
        serde_json::from_str(&run(&["pack", "validate", "--json", s(&archive)], 0)).unwrap();
    assert_eq!(w["pack"]["content_hash"], v["pack"]["content_hash"]);

    // A dry run says what would come, and changes nothing; the install does it.
    let data = tmp.path().join("data");
    let dry = run(&["--data-dir", s(&data), "pack", "install", "--dry-run", s(&archive)], 0);
    assert!(dry.contains("new (25): time-001, time-002"), "{dry}");
    assert!(dry.contains("dry run: nothing was changed"), "{dry}");
    let out = run(&["--data-dir", s(&data), "pack", "install", s(&archive)], 0);
    assert!(out.contains("installed speed-distance 0.1.0"), "{out}");
    let list: Value =
        serde_json::from_str(&run(&["--data-dir", s(&data), "pack", "list", "--json"], 0)).unwrap();
    assert_eq!(list[0]["id"], COURSE);
    assert_eq!(list[0]["items"], 25);
    assert!(!list[0]["files_dir"].is_null(), "the pictures are installed: {list}");
}

#[test]
fn a_strong_learner_unlocks_the_course_in_order_with_reasons_that_name_the_teachers_skills() {
    let tmp = tempfile::tempdir().unwrap();
    let data = installed_course(tmp.path());
    let mut server = Server::start(&data);
    let ana = server.learner("Ana");

    // Before any answer: the first lesson is open, the others are locked by what they build on.
    let map = server.course_map(ana);
    let ls = lessons(&map);
    assert_eq!(ls["time"].0, "available", "{map}");
    assert_eq!(ls["speed"], ("locked".to_owned(), vec!["Hours and minutes".to_owned()]), "{map}");
    assert_eq!(ls["journeys"].0, "locked", "{map}");
    assert!(ls["journeys"].1.contains(&"Finding speed".to_owned()), "{map}");
    assert_eq!(map["unlock_at"].as_f64().unwrap(), 0.8f32 as f64);
    // A locked lesson is refused by name, with the level it waits for.
    let r = server
        .try_call("start_session", json!({"learner": ana, "course": COURSE, "lesson": "speed"}));
    assert_eq!(r["error"]["kind"], "conflict", "{r}");
    let msg = r["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("\"Finding speed\" is locked") && msg.contains("Hours and minutes at 80%"),
        "{msg}"
    );

    // Every answer right: the policy takes her through the skills in the order of the
    // prerequisites, and every reason names a skill of the pack with a number.
    let session = server.start_session(ana, None, "adaptive");
    let names =
        ["Hours and minutes", "Finding speed", "Finding distance and time", "Average speed"];
    let mut first_step_of = Vec::new();
    for n in 0..20 {
        let step = server.call("next_step", json!({"session": session}));
        let item = &step["item"];
        let id = item["id"].as_str().unwrap().to_owned();
        let reason = step["reason"].as_str().unwrap();
        assert!(names.iter().any(|name| reason.contains(name)), "step {n}: {reason}");
        assert!(reason.contains('%'), "step {n}: {reason}");
        let p = step["predicted"].as_f64().unwrap();
        assert!(p > 0.0 && p < 1.0, "step {n}: predicted {p}");
        let skill = item["skills"][0].as_str().unwrap().to_owned();
        if !first_step_of.contains(&skill) {
            first_step_of.push(skill);
        }
        let r = server.call(
            "submit_answer",
            json!({"session": session, "answer": right(&id), "latency_ms": 6000}),
        );
        assert_eq!(r["correct"], true, "{id}: {r}");
        assert!(r["feedback_html"].is_null(), "{id}: no feedback for a right answer");
        for m in r["mastery"].as_array().unwrap() {
            assert!(
                m["after"].as_f64() >= m["before"].as_f64(),
                "{id}: a right answer lowered {m}"
            );
        }
    }
    assert_eq!(first_step_of, ["time-units", "speed", "distance", "average-speed"]);
    let summary = server.call("end_session", json!({"session": session}));
    assert_eq!(
        (summary["answered"].clone(), summary["correct_first"].clone()),
        (json!(20), json!(20))
    );
    assert_eq!((summary["skipped"].clone(), summary["hints"].clone()), (json!(0), json!(0)));

    // The course map now says what she did: every skill mastered, with its answers counted,
    // and no lesson locked.
    let map = server.course_map(ana);
    for s in map["skills"].as_array().unwrap() {
        assert_eq!(s["mastered"], true, "{s}");
        assert!(s["attempts"].as_u64().unwrap() >= 3, "{s}");
        assert!(s["uncertainty"].as_f64().unwrap() <= 0.25, "{s}");
    }
    for (id, (status, because)) in lessons(&map) {
        assert_eq!(status, "mastered", "{id}: {because:?}");
    }
    let total: u64 =
        map["skills"].as_array().unwrap().iter().map(|s| s["attempts"].as_u64().unwrap()).sum();
    assert!(total >= 20, "every first answer counts toward its skills: {total}");
    server.finish();
}

#[test]
fn a_struggling_learner_climbs_the_hint_ladder_one_rung_at_a_time_and_meets_every_question() {
    let tmp = tempfile::tempdir().unwrap();
    let data = installed_course(tmp.path());
    let mut server = Server::start(&data);
    let ben = server.learner("Ben");
    let session = server.start_session(ben, Some("time"), "adaptive");

    let mut shown: BTreeMap<String, usize> = BTreeMap::new();
    let mut order = Vec::new();
    for n in 0..24 {
        let step = server.call("next_step", json!({"session": session}));
        let item = step["item"].clone();
        let id = item["id"].as_str().unwrap().to_owned();
        assert_eq!(item["lesson"], "time", "a lesson session keeps to its lesson");
        *shown.entry(id.clone()).or_default() += 1;
        order.push(id.clone());
        let levels = item["hint_levels"].as_u64().unwrap();
        assert_eq!(item["has_solution"], true);

        match n % 3 {
            // Takes every hint: one rung at a time, in order, the last the worked solution,
            // then no more.
            0 => {
                for level in 1..=levels {
                    let h = server.call("request_hint", json!({"session": session}));
                    assert_eq!(h["level"], level, "{id}: {h}");
                    assert_eq!(h["of"], levels, "{id}: {h}");
                    assert_eq!(h["is_solution"], level == levels, "{id}: {h}");
                    assert!(!h["html"].as_str().unwrap().trim().is_empty());
                }
                let r = server.try_call("request_hint", json!({"session": session}));
                assert_eq!(r["error"]["kind"], "conflict", "{id}: {r}");
                let r = server
                    .call("submit_answer", json!({"session": session, "answer": wrong(&item)}));
                assert_eq!(r["correct"], false);
            }
            // Wrong, then looks at the solution and copies it: right, but no credit.
            1 => {
                let r = server
                    .call("submit_answer", json!({"session": session, "answer": wrong(&item)}));
                assert_eq!(r["correct"], false);
                assert_eq!(r["hint"], "offer", "{id}: a hint is offered after a wrong answer: {r}");
                let sol = server.call("view_solution", json!({"session": session}));
                assert_eq!(sol["is_solution"], true);
                assert_eq!(sol["level"], levels);
                let r =
                    server.call("submit_answer", json!({"session": session, "answer": right(&id)}));
                assert_eq!(r["correct"], true, "{id}: {r}");
                for m in r["mastery"].as_array().unwrap() {
                    assert!(
                        (m["after"].as_f64().unwrap() - m["before"].as_f64().unwrap()).abs() < 1e-6,
                        "{id}: no credit for an answer after the solution: {m}"
                    );
                }
            }
            // Wrong twice: the first rung comes unasked.
            _ => {
                server.call("submit_answer", json!({"session": session, "answer": wrong(&item)}));
                let r = server
                    .call("submit_answer", json!({"session": session, "answer": wrong(&item)}));
                assert_eq!(r["hint"], "show", "{id}: {r}");
                assert_eq!(r["hint_shown"]["level"], 1, "{id}: {r}");
                assert_eq!(r["wrong_answers"], 2);
            }
        }
    }
    // Not the same few questions again and again: all 8 of the lesson came, and none a third
    // time before every other had come twice.
    assert_eq!(shown.len(), 8, "{order:?}");
    let most = *shown.values().max().unwrap();
    let least = *shown.values().min().unwrap();
    assert!(most - least <= 1, "{shown:?} in order {order:?}");
    for w in order.windows(2) {
        assert_ne!(w[0], w[1], "the same question twice in a row: {order:?}");
    }

    // The summary and the course map tell the truth: nothing right at the first answer, the
    // skill not mastered and the next lesson still locked.
    let summary = server.call("end_session", json!({"session": session}));
    assert_eq!(summary["answered"], 24, "{summary}");
    assert_eq!(summary["correct_first"], 0, "{summary}");
    let map = server.course_map(ben);
    let t = skill(&map, "time-units");
    assert_eq!(t["mastered"], false, "{t}");
    assert_eq!(t["attempts"], 24, "{t}");
    assert!(t["mastery"].as_f64().unwrap() < 0.3, "{t}");
    assert_eq!(lessons(&map)["speed"].0, "locked");
    server.finish();
}

#[test]
fn every_kind_grades_what_learners_type_and_common_wrong_answers_get_the_teachers_feedback() {
    let tmp = tempfile::tempdir().unwrap();
    let data = installed_course(tmp.path());
    let mut server = Server::start(&data);
    let cleo = server.learner("Cleo");

    // (item, answer, right?, a piece of the feedback shown, if any)
    let cases: &[(&str, Value, bool, Option<&str>)] = &[
        // numeric with fractions and a unit
        ("time-001", json!({"kind": "text", "value": "0.5"}), true, None),
        ("time-001", json!({"kind": "text", "value": "0,5"}), true, None),
        ("time-001", json!({"kind": "text", "value": " .5 "}), true, None),
        ("time-001", json!({"kind": "text", "value": "1/2"}), true, None),
        ("time-001", json!({"kind": "text", "value": "2/4"}), true, None),
        ("time-001", json!({"kind": "text", "value": "½"}), true, None),
        ("time-001", json!({"kind": "text", "value": "0.5 h"}), true, None),
        ("time-001", json!({"kind": "text", "value": "0.50"}), true, None),
        (
            "time-001",
            json!({"kind": "text", "value": "30"}),
            false,
            Some("number of <strong>minutes</strong>"),
        ),
        // numeric without fractions: the unit typed too is fine
        ("time-002", json!({"kind": "text", "value": "75 min"}), true, None),
        ("time-002", json!({"kind": "text", "value": "125"}), false, Some("not 100")),
        // numeric with a tolerance
        ("time-007", json!({"kind": "text", "value": "0,33"}), true, None),
        ("time-007", json!({"kind": "text", "value": "2/6"}), true, None),
        ("time-007", json!({"kind": "text", "value": "0.3"}), false, None),
        ("time-007", json!({"kind": "text", "value": "1/5"}), false, Some("12 minutes")),
        // text: case and spaces
        ("time-004", json!({"kind": "text", "value": "HOUR"}), true, None),
        ("time-004", json!({"kind": "text", "value": "  an   hour "}), true, None),
        ("time-004", json!({"kind": "text", "value": "minute"}), false, None),
        ("speed-004", json!({"kind": "text", "value": "Time"}), false, Some("what we divide by")),
        // select-all: the set counts, not the order; part of it is wrong, with its message
        ("time-003", json!({"kind": "choice", "value": [4, 1]}), true, None),
        ("time-003", json!({"kind": "choice", "value": [1]}), false, Some("another one")),
        ("time-003", json!({"kind": "choice", "value": [2]}), false, Some("1 hour and 18 minutes")),
        ("speed-006", json!({"kind": "choice", "value": [1, 2, 3, 5]}), false, None),
        ("speed-006", json!({"kind": "choice", "value": [4]}), false, Some("12 km is a distance")),
        // choice with a picture
        ("time-008", json!({"kind": "choice", "value": [3]}), false, Some("the white part")),
        ("dist-004", json!({"kind": "choice", "value": [1]}), true, None),
        // cloze, numeric and text blanks
        ("time-005", json!({"kind": "cloze", "value": ["135", "2,25"]}), true, None),
        ("time-005", json!({"kind": "cloze", "value": ["135", "9/4"]}), true, None),
        (
            "time-005",
            json!({"kind": "cloze", "value": ["135", "2.15"]}),
            false,
            Some("not 0.15 hours"),
        ),
        ("speed-005", json!({"kind": "cloze", "value": ["D", " t "]}), true, None),
        (
            "speed-005",
            json!({"kind": "cloze", "value": ["time", "distance"]}),
            false,
            Some("other way round"),
        ),
        // order
        ("speed-008", json!({"kind": "order", "value": [1, 2, 3, 4]}), true, None),
        ("speed-008", json!({"kind": "order", "value": [1, 3, 2, 4]}), false, None),
        // numeric with a fraction allowed on a later lesson
        ("dist-003", json!({"kind": "text", "value": "2 1/2"}), true, None),
        ("dist-003", json!({"kind": "text", "value": "2.3"}), false, Some("half an hour")),
    ];
    for (item, answer, ok, feedback) in cases {
        // The course in file order, whatever is locked: skip to the item.
        let session = server.start_session(cleo, None, "fixed-order");
        let mut guard = 0;
        loop {
            let step = server.call("next_step", json!({"session": session}));
            if step["item"]["id"] == *item {
                break;
            }
            server.call("skip", json!({"session": session}));
            guard += 1;
            assert!(guard < 30, "{item} never came");
        }
        let r = server.call("submit_answer", json!({"session": session, "answer": answer}));
        assert_eq!(r["correct"], *ok, "{item} {answer}: {r}");
        match feedback {
            Some(piece) => {
                let html = r["feedback_html"].as_str().unwrap_or_default();
                assert!(html.contains(piece), "{item} {answer}: feedback {html:?}");
            }
            None => assert!(r["feedback_html"].is_null(), "{item} {answer}: {r}"),
        }
        if *item == "time-005" && !*ok {
            assert_eq!(r["blanks"], json!([true, false]), "the blank that is wrong: {r}");
        }
        server.call("end_session", json!({"session": session}));
    }
    server.finish();
}

#[test]
fn a_learner_who_skips_meets_new_questions_and_the_class_report_counts_every_first_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let data = installed_course(tmp.path());
    let mut server = Server::start(&data);
    let dan = server.learner("Dan");
    let eve = server.learner("Eve");

    // Dan skips three questions of four and answers the fourth right.
    let session = server.start_session(dan, Some("time"), "adaptive");
    let mut seen = Vec::new();
    for n in 0..8 {
        let step = server.call("next_step", json!({"session": session}));
        let id = step["item"]["id"].as_str().unwrap().to_owned();
        assert!(!seen.contains(&id), "step {n}: {id} again, while others wait: {seen:?}");
        seen.push(id.clone());
        if n % 4 == 3 {
            server.call("submit_answer", json!({"session": session, "answer": right(&id)}));
        } else {
            assert_eq!(server.call("skip", json!({"session": session})), json!({"skipped": true}));
            // A skipped question is done with: it cannot be answered or hinted any more.
            let r = server.try_call("request_hint", json!({"session": session}));
            assert_eq!(r["error"]["kind"], "conflict", "{r}");
        }
    }
    let summary = server.call("end_session", json!({"session": session}));
    assert_eq!(
        (&summary["items"], &summary["answered"], &summary["skipped"], &summary["correct_first"]),
        (&json!(8), &json!(2), &json!(6), &json!(2)),
        "{summary}"
    );
    // Two right answers and six skips are not mastery.
    assert_eq!(skill(&server.course_map(dan), "time-units")["mastered"], false);

    // Eve gets the first three wrong with the same common mistake on time-001.
    let session = server.start_session(eve, Some("time"), "fixed-order");
    for _ in 0..3 {
        let step = server.call("next_step", json!({"session": session}));
        let item = step["item"].clone();
        let answer = if item["id"] == "time-001" {
            json!({"kind": "text", "value": "30"})
        } else {
            wrong(&item)
        };
        server.call("submit_answer", json!({"session": session, "answer": answer}));
        server.call("skip", json!({"session": session}));
    }
    server.call("end_session", json!({"session": session}));
    server.finish();

    // The class report: every learner with their first answers, and the teacher sees which
    // wrong answer was typed.
    let out = run(
        &[
            "--data-dir",
            s(&data),
            "report",
            "--class",
            "--course",
            COURSE,
            "--format",
            "json",
            "-o",
            "-",
        ],
        0,
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    let course = &report["courses"][0];
    assert_eq!(course["course"]["id"], COURSE);
    let grid: BTreeMap<&str, &Value> = course["grid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["learner"]["name"].as_str().unwrap(), row))
        .collect();
    assert_eq!(grid["Dan"]["first_answers"], 2, "{}", grid["Dan"]);
    assert_eq!(grid["Dan"]["accuracy"], 1.0);
    assert_eq!(grid["Eve"]["first_answers"], 3, "{}", grid["Eve"]);
    assert_eq!(grid["Eve"]["accuracy"], 0.0);
    let hardest = course["hardest_items"].as_array().unwrap();
    let t1 =
        hardest.iter().find(|h| h["item_id"] == "time-001").expect("time-001 is among the hardest");
    assert_eq!(t1["common_wrong_answers"][0], json!({"answer": "30", "count": 1}), "{t1}");
}

#[test]
fn an_upgrade_installed_while_a_learner_practises_keeps_every_answer_and_shows_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let data = installed_course(tmp.path());
    let mut server = Server::start(&data);
    let fay = server.learner("Fay");
    let gus = server.learner("Gus");

    // Gus has answered a few; Fay has time-002 on screen, a hint seen, not answered yet.
    let session = server.start_session(gus, None, "adaptive");
    for _ in 0..5 {
        let step = server.call("next_step", json!({"session": session}));
        let id = step["item"]["id"].as_str().unwrap().to_owned();
        server.call("submit_answer", json!({"session": session, "answer": right(&id)}));
    }
    server.call("end_session", json!({"session": session}));
    let session = server.start_session(fay, Some("time"), "fixed-order");
    let step = server.call("next_step", json!({"session": session}));
    assert_eq!(step["item"]["id"], "time-001");
    server.call("submit_answer", json!({"session": session, "answer": right("time-001")}));
    let step = server.call("next_step", json!({"session": session}));
    assert_eq!(step["item"]["id"], "time-002");
    assert_eq!(step["item"]["prompt_html"], "<p>How many minutes are in 1.25 hours?</p>\n");
    server.call("request_hint", json!({"session": session}));
    let before: Vec<Value> = [fay, gus]
        .iter()
        .map(|&l| server.call("mastery_summary", json!({"learner": l, "course": COURSE})))
        .collect();

    // The teacher fixes the wording of time-002, adds a lesson with a new skill, raises the
    // version, and installs it from the command line while the server runs.
    let dir = tmp.path().join("speed");
    let set = |file: &str, from: &str, to: &str| {
        let t = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(t.contains(from), "{file}: {from}");
        std::fs::write(dir.join(file), t.replacen(from, to, 1)).unwrap();
    };
    set("pack.toml", "version = \"0.1.0\"", "version = \"0.2.0\"");
    set(
        "lessons/01-time.toml",
        "How many minutes are in 1.25 hours?",
        "How many minutes are there in 1.25 hours?",
    );
    let mut skills = std::fs::read_to_string(dir.join("skills.toml")).unwrap();
    skills.push_str(
        "\n[[skill]]\nid = \"convert-speed\"\nname = \"Changing units of speed\"\nprerequisites = [\"speed\"]\n",
    );
    std::fs::write(dir.join("skills.toml"), skills).unwrap();
    std::fs::write(
        dir.join("lessons/04-units.toml"),
        r#"[lesson]
id = "units"
title = "Units of speed"
skills = ["convert-speed"]

[[item]]
id = "units-001"
kind = "numeric"
skills = ["convert-speed"]
prompt = "Write 10 m/s in km/h."
answer = 36
unit = "km/h"
hints = ["In one hour there are 3600 seconds."]
solution = '$10 \times 3.6 = 36$ km/h'

[[item]]
id = "units-002"
kind = "numeric"
skills = ["convert-speed"]
prompt = "Write 72 km/h in m/s."
answer = 20
unit = "m/s"
hints = ["Divide by 3.6."]
solution = '$72 \div 3.6 = 20$ m/s'
"#,
    )
    .unwrap();
    let archive = tmp.path().join("speed-distance-0.2.0.ladderpack");
    run(&["pack", "build", s(&dir), "-o", s(&archive)], 0);
    let out = run(&["--data-dir", s(&data), "pack", "install", s(&archive)], 0);
    for line in [
        "speed-distance 0.1.0 -> 0.2.0",
        "new (2): units-001, units-002",
        "changed (1): time-002",
        "skills new (1): convert-speed",
        "lessons new (1): units",
        "installed speed-distance 0.2.0",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    assert!(!out.contains("removed"), "{out}");

    // Fay's answer to the old wording is refused, not graded against what she did not see;
    // the next step shows the fixed wording of the same question.
    let r = server.try_call(
        "submit_answer",
        json!({"session": session, "answer": {"kind": "text", "value": "75"}}),
    );
    assert_eq!(r["error"]["kind"], "conflict", "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("changed by an update"), "{r}");
    let step = server.call("next_step", json!({"session": session}));
    assert_eq!(step["item"]["id"], "time-002");
    assert_eq!(step["item"]["prompt_html"], "<p>How many minutes are there in 1.25 hours?</p>\n");
    let r = server.call(
        "submit_answer",
        json!({"session": session, "answer": {"kind": "text", "value": "75 min"}}),
    );
    assert_eq!(r["correct"], true, "{r}");
    let summary = server.call("end_session", json!({"session": session}));
    assert_eq!(summary["answered"], 2, "{summary}");

    // Nothing is lost: every answer from before still counts, Fay's new one on top; the new
    // lesson is there, locked by the skill it builds on.
    let after: Vec<Value> = [fay, gus]
        .iter()
        .map(|&l| server.call("mastery_summary", json!({"learner": l, "course": COURSE})))
        .collect();
    assert_eq!(after[0]["answers"], before[0]["answers"].as_u64().unwrap() + 1);
    assert_eq!(after[1]["answers"], before[1]["answers"], "Gus: {} -> {}", before[1], after[1]);
    for (b, a) in before.iter().zip(&after) {
        for s in b["skills"].as_array().unwrap() {
            let now = skill(a, s["id"].as_str().unwrap());
            assert!(now["attempts"].as_u64() >= s["attempts"].as_u64(), "{s} -> {now}");
        }
    }
    let map = server.course_map(gus);
    assert_eq!(map["course"]["version"], "0.2.0");
    assert_eq!(map["course"]["items"], 27);
    let ls = lessons(&map);
    assert_eq!(ls.len(), 4);
    assert_eq!(ls["units"], ("locked".to_owned(), vec!["Finding speed".to_owned()]), "{map}");
    server.finish();
}

/// A lesson may teach a skill and a skill built on it (`journeys` teaches `distance` and
/// `average-speed`, which needs `distance`). Its lock must come from what it builds on outside
/// itself (`speed`), not from its own skills: no other lesson teaches `distance`, so a learner
/// who practises lesson by lesson could never open it. The lesson's lock was the union of its
/// skills' missing prerequisites, its own skills included (`engine.rs`, `course_map` and
/// `start_session`), so after lessons 1 and 2 were mastered the course map said "Journeys:
/// locked, needs Finding distance and time" and `start_session` refused it with "it needs
/// Finding distance and time at 80% first" (`lesson_missing` now leaves the lesson's own skills
/// out).
#[test]
fn a_lesson_teaching_a_skill_and_one_built_on_it_opens_once_what_it_builds_on_is_learnt() {
    let tmp = tempfile::tempdir().unwrap();
    let data = installed_course(tmp.path());
    let mut server = Server::start(&data);
    let ivy = server.learner("Ivy");
    // Before anything: locked by what comes before it, not by a skill it teaches itself.
    let map = server.course_map(ivy);
    let (_, because) = &lessons(&map)["journeys"];
    assert!(!because.contains(&"Finding distance and time".to_owned()), "{map}");

    // Lesson by lesson, every answer right, as a learner picks them on the course map.
    for lesson in ["time", "speed"] {
        let session = server.start_session(ivy, Some(lesson), "adaptive");
        for _ in 0..10 {
            let step = server.call("next_step", json!({"session": session}));
            let id = step["item"]["id"].as_str().unwrap().to_owned();
            server.call("submit_answer", json!({"session": session, "answer": right(&id)}));
        }
        server.call("end_session", json!({"session": session}));
    }
    let map = server.course_map(ivy);
    assert_eq!(skill(&map, "speed")["mastered"], true, "{map}");
    let ls = lessons(&map);
    assert_ne!(ls["journeys"].0, "locked", "{:?}", ls["journeys"]);
    let r = server
        .try_call("start_session", json!({"learner": ivy, "course": COURSE, "lesson": "journeys"}));
    assert!(r.get("error").is_none(), "{r}");
    // Its first question practises the skill that is open, not the one still locked.
    let session = r["result"]["session"].as_i64().unwrap();
    let step = server.call("next_step", json!({"session": session}));
    assert_eq!(step["item"]["skills"][0], "distance", "{step}");
    server.finish();
}
