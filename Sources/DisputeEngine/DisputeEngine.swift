/// The dispute engine: the one API that the `disputes` command-line tool and embedding services
/// share.
///
/// Today the engine exposes the working-day calendar (re-exported from the `WorkingDays`
/// module, which can also be used on its own); the case model, the event log and reporting
/// build on it.
@_exported public import WorkingDays
