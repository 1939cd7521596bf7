@_exported public import CanonicalJSON
/// The dispute engine: the one API that the `disputes` command-line tool and embedding services
/// share.
///
/// It re-exports the working-day calendar (`WorkingDays`, also usable on its own), the case
/// lifecycle (`CaseModel`: states, commands, events, the pure decider) and the scheme
/// workflows (`WorkflowLoading`). The event log and reporting build on these.
@_exported public import CaseModel
@_exported public import EventCoding
@_exported public import Reporting
@_exported public import SyntheticCases
@_exported public import WorkflowLoading
@_exported public import WorkingDays
