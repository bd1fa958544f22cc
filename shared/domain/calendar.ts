// Dates in the API are Europe/London; these keep that conversion in one place.

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in London at this instant, as YYYY-MM-DD. */
export const dateInLondon = (at: Date): string => londonDate.format(at);
