namespace Crm.Sdk;

/// <summary>
/// Optionally implemented by an <see cref="IAssignmentStrategy"/> whose options can be wrong: the host calls it when
/// a manager saves a pool's assignment rule or runs a simulation, and refuses the request with the errors (400).
/// </summary>
public interface IAssignmentOptionsValidator
{
    /// <summary>Checks the options a pool would pass in <see cref="PoolContext.Options"/>.</summary>
    /// <param name="options">The options as the manager wrote them.</param>
    /// <returns>An error message per option key; empty when the options are valid.</returns>
    IReadOnlyDictionary<string, string> ValidateOptions(IReadOnlyDictionary<string, string> options);
}
