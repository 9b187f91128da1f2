//! Any text as a saved session or a share link's unpacked contents: [`Session::read`] never
//! panics, and a session it accepts (within its limits: 256 KB, 2,000 commands, 4 hours)
//! replays on a fresh cluster to its end without panicking, and writes back as text that reads
//! the same.

#![no_main]

use kplay_kubectl::session::Session;
use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    let Some(text) = kplay_fuzz::text(data) else {
        return Corpus::Reject;
    };
    let Ok((session, at, end)) = Session::read(text) else {
        return Corpus::Keep;
    };
    let written = session.text(at, end);
    assert_eq!(
        Session::read(&written).as_ref(),
        Ok(&(session.clone(), at, end)),
        "a session read back from its text:\n{written}"
    );
    // Opening it replays up to `at`, Play then on to `end`: replaying everything covers both.
    session.replay(session.len(), end);
    let _ = session.room_for(end, text);
    Corpus::Keep
});
