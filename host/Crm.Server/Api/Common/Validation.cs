using System.Net.Mail;
using Crm.Grains.Metrics;
using Crm.Server.Api.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Common;

/// <summary>Collects field errors of a request body; empty means valid.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Validation Require(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
        }
        else
        {
            MaxLength(value, field, maxLength);
        }

        return this;
    }

    public Validation Require<T>(T? value, string field) where T : struct
    {
        if (value is null)
        {
            Add(field, $"'{field}' is required.");
        }

        return this;
    }

    public Validation MaxLength(string? value, string field, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"'{field}' may have at most {maxLength} characters.");
        }

        return this;
    }

    public Validation Email(string? value, string field)
    {
        if (!string.IsNullOrWhiteSpace(value) && !IsEmail(value.Trim()))
        {
            Add(field, $"'{value}' is not an e-mail address.");
        }

        return this;
    }

    public Validation Phone(string? value, string field)
    {
        if (!string.IsNullOrWhiteSpace(value) && !IsPhone(value))
        {
            Add(field, $"'{value}' is not a phone number: use digits, spaces, + - ( ) and 6 to 20 digits, and an extension as 'ext. 12'.");
        }

        return this;
    }

    /// <summary>
    /// A calendar date a client sends (a query's day, a body's due date) is in 2000 to 2100, the years a report period
    /// may name: a day before or after it is still a date (year 1 or 9999 overflowed into a 500), and nothing stores one.
    /// </summary>
    public Validation Date(DateOnly? value, string field) =>
        Check(value is not { } day || IsDate(day), field, $"'{field}' is a date in {ReportPeriod.MinYear} to {ReportPeriod.MaxYear}.");

    public static bool IsDate(DateOnly day) => day.Year is >= ReportPeriod.MinYear and <= ReportPeriod.MaxYear;

    public Validation Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            Add(field, message);
        }

        return this;
    }

    public Validation Merge(Dictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }

        return this;
    }

    public ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    private void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.');

    private static bool IsPhone(string value)
    {
        // An extension is stored after the number in one form (IdentityText.Phone): the number is checked without it.
        var extension = value.LastIndexOf(IdentityText.ExtensionMark, StringComparison.Ordinal);
        if (extension > 0 && value.Length - extension - IdentityText.ExtensionMark.Length is >= 1 and <= 6
            && value[(extension + IdentityText.ExtensionMark.Length)..].All(char.IsAsciiDigit))
        {
            value = value[..extension];
        }

        var digits = value.Count(char.IsAsciiDigit);
        return digits is >= 6 and <= 20 && value.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.');
    }
}
