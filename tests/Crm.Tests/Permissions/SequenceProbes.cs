using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>The sequence requests of the permission matrix: sequences the admin wrote for the target unit.</summary>
public static class SequenceProbes
{
    public static CreateSequenceRequest Request(string unitId) =>
        new($"Matrix {Guid.NewGuid():N}", [new SequenceStepRequest(0, "sms", "Hi {{ name }}"), new SequenceStepRequest(300, "call", "Call {{ name }}")], unitId);

    public static async Task<string> AdminSequenceAsync(WorldUnit target) =>
        (await target.World.Admin.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences", Request(target.UnitId)))
        .EnsureStatus(HttpStatusCode.Created).Value!.Id;

    /// <summary>A fresh customer of the unit's rep, enrolled by the admin in a sequence of the unit.</summary>
    public static async Task<(string SequenceId, Guid CustomerId)> EnrolledAsync(WorldUnit target)
    {
        var sequence = await AdminSequenceAsync(target);
        var customer = (await target.NewOwnedAsync()).Id;
        (await target.World.Admin.SendAsync<EnrolResult>(HttpMethod.Post, $"/api/sequences/{sequence}/enrolments", new EnrolRequest([customer])))
            .EnsureStatus(HttpStatusCode.OK);
        return (sequence, customer);
    }

    /// <summary>
    /// Marks the last step (day 300, never due in a run) done: a caller who passes the permission checks is answered
    /// 409 step-not-due, which counts as allowed here; one who does not gets 404.
    /// </summary>
    public static async Task<bool> CompleteAsync(MatrixCell c)
    {
        var (sequence, customer) = await EnrolledAsync(c.Target);
        var response = await c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/sequences/{sequence}/enrolments/{customer}/steps/1/done",
            new CompleteStepRequest("sent"));
        return response.Status == HttpStatusCode.Conflict && response.Code == ErrorCodes.StepNotDue
            || await PermissionMatrix.Allowed(Task.FromResult(response));
    }
}
