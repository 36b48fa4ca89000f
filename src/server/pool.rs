//! The evaluations: a queue of bounded length in front of as many workers as
//! the machine has cores. A request waits in the queue rather than being
//! refused while a worker is busy; its time limit runs from the moment it
//! was queued, so the wait is bounded too. An evaluation runs under a
//! [`Budget`]: it stops at its next step when its time is up, when it holds
//! more memory than allowed, or when its client has gone
//! (`budget::check` in the engine's loops) — and a queued request whose
//! client has gone is never started.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::budget::{self, Budget, Why};

/// What an evaluation answers: a status and JSON text.
pub type Answer = (u16, String);

/// One evaluation to run.
type Work = Box<dyn FnOnce() -> Answer + Send>;

struct Job {
    work: Work,
    budget: Budget,
    reply: std::sync::mpsc::Sender<Answer>,
}

/// The limits every evaluation runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time from being queued to being answered.
    pub time: Duration,
    /// Bytes an evaluation may hold.
    pub memory: usize,
    /// Evaluations that may wait for a worker.
    pub queue: usize,
}

/// The workers and their queue.
pub struct Pool {
    queue: SyncSender<Job>,
    limits: Limits,
}

fn stopped(why: Why) -> Answer {
    refused(503, &why.message())
}

fn refused(status: u16, message: &str) -> Answer {
    (status, serde_json::json!({ "error": message }).to_string())
}

impl Pool {
    /// Starts `workers` workers.
    pub fn new(workers: usize, limits: Limits) -> Pool {
        let (queue, jobs) = std::sync::mpsc::sync_channel::<Job>(limits.queue);
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..workers.max(1) {
            let jobs = jobs.clone();
            std::thread::spawn(move || work(&jobs));
        }
        Pool { queue, limits }
    }

    /// Runs `work` and waits for its answer, looking every few
    /// milliseconds whether the client is still there (`gone`): if it is
    /// not, the evaluation is stopped and `None` returned.
    pub fn run(
        &self,
        work: impl FnOnce() -> Answer + Send + 'static,
        gone: impl Fn() -> bool,
    ) -> Option<Answer> {
        let abandoned = Arc::new(AtomicBool::new(false));
        let budget = Budget {
            start: Instant::now(),
            time: self.limits.time,
            abandoned: abandoned.clone(),
            memory: self.limits.memory,
        };
        let (reply, answer) = std::sync::mpsc::channel();
        let job = Job {
            work: Box::new(work),
            budget,
            reply,
        };
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Some(refused(
                    503,
                    &format!(
                        "{} evaluations are already waiting; try again",
                        self.limits.queue
                    ),
                ));
            }
            Err(TrySendError::Disconnected(_)) => {
                return Some(refused(500, "no worker is running"));
            }
        }
        loop {
            match answer.recv_timeout(Duration::from_millis(20)) {
                Ok(a) => return Some(a),
                Err(RecvTimeoutError::Timeout) => {
                    if gone() {
                        abandoned.store(true, Ordering::Relaxed);
                        return None;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Some(refused(500, "the evaluation failed"));
                }
            }
        }
    }
}

/// A worker: takes jobs until the pool is dropped.
fn work(jobs: &Mutex<Receiver<Job>>) {
    loop {
        let job = match jobs.lock() {
            Ok(j) => j.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let Job {
            work,
            budget,
            reply,
        } = job;
        let started = Instant::now();
        // Queued past its time, or its client gone: not started.
        let answer = match budget.expired() {
            Some(why) => stopped(why),
            None => budget::within(budget, || {
                let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                    .unwrap_or_else(|_| refused(500, "the evaluation failed"));
                // Stopped on the way: whatever it answered, it is this.
                budget::tripped()
                    .or_else(budget::spent)
                    .map_or(answer, stopped)
            }),
        };
        let _ = reply.send(answer);
        // A heavy evaluation's memory goes back to the system; a light
        // one's is left for the next (trimming costs more than it).
        if started.elapsed() > Duration::from_millis(50) {
            crate::budget::give_back();
        }
    }
}
