public import CaseModel

/// The workflows an engine knows: the bundled ones (compiled in), or those of a directory.
///
/// ```swift
/// let catalog = WorkflowCatalog.bundled
/// let workflow = try catalog.workflow(named: "webwinkelkeur")
/// ```
public struct WorkflowCatalog: Sendable {
  /// The workflows, sorted by scheme.
  public let workflows: [Workflow]

  /// A catalog of the given workflows.
  public init(_ workflows: [Workflow]) {
    self.workflows = workflows.sorted { $0.scheme < $1.scheme }
  }

  /// The workflows of a directory's `*.yaml` files, instead of the bundled ones.
  ///
  /// - Throws: ``WorkflowError`` for the first file that is wrong.
  public init(directory: String) throws(WorkflowError) {
    self.init(try WorkflowLoader.loadDirectory(directory))
  }

  /// The bundled workflows, compiled into the library from `Workflows/*.yaml`.
  public static let bundled: WorkflowCatalog = {
    do {
      return WorkflowCatalog(
        try bundledFiles.map { file throws(WorkflowError) in
          try WorkflowLoader.load(yaml: file.text, file: "Workflows/\(file.name) (compiled in)")
        })
    } catch {
      // The texts are constants validated by the test suite; failing here is a build defect.
      preconditionFailure("a bundled workflow does not load: \(error)")
    }
  }()

  /// The workflow of a scheme.
  ///
  /// - Throws: ``UnknownSchemeError`` listing the schemes there are.
  public func workflow(named scheme: String) throws(UnknownSchemeError) -> Workflow {
    guard let workflow = workflows.first(where: { $0.scheme == scheme.lowercased() }) else {
      throw UnknownSchemeError(scheme: scheme, known: workflows.map(\.scheme))
    }
    return workflow
  }
}

/// No workflow has the scheme asked for.
public struct UnknownSchemeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The scheme asked for.
  public let scheme: String
  /// The schemes there are.
  public let known: [String]

  /// Creates the error.
  public init(scheme: String, known: [String]) {
    self.scheme = scheme
    self.known = known
  }

  public var description: String {
    "unknown scheme '\(scheme)'; known: \(known.joined(separator: ", "))"
  }
}
