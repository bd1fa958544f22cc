import { describe, expect, it } from 'vitest';
import { clockTime, longDate, timeRange } from '../../shared/mail/format.ts';
import { renderMessage, type ApplicationMessage, type BookingMessage, type SessionDetails } from '../../shared/schemes/haf/emails.ts';

// Invented people and places only.
const football: SessionDetails = {
  title: 'Festive Football & Lunch', date: '2026-12-22', startTime: '09:30', endTime: '13:30',
  venue: { name: 'Loughborough Leisure Centre', postcode: 'le11 3ha' }, mealProvided: true,
};
const crafts: SessionDetails = { ...football, title: 'Craft Club', date: '2026-12-23', startTime: '12:00', endTime: '15:00', mealProvided: false };
const site = 'https://holiday-clubs.example.gov.uk/';

const application = (o: Partial<ApplicationMessage> = {}): ApplicationMessage => ({
  reference: 'HAF-7K3M9Q', manageToken: 'mt_example_7f3a9c2e4b1d8f60', siteUrl: site, parentFirstName: 'Sam',
  children: [
    { firstName: 'Alex', bookings: [
      { bookingId: 'HAF-7K3M9Q-1-1', status: 'confirmed', session: football },
      { bookingId: 'HAF-7K3M9Q-1-2', status: 'waitlisted', session: crafts },
    ] },
    { firstName: 'Jo', bookings: [
      { bookingId: 'HAF-7K3M9Q-2-1', status: 'rejected', session: football, reasonText: 'Your child is outside the age range for this session.' },
    ] },
  ],
  ...o,
});
const booking: BookingMessage = {
  reference: 'HAF-7K3M9Q', manageToken: 'mt_example_7f3a9c2e4b1d8f60', siteUrl: site, parentFirstName: 'Sam',
  childFirstName: 'Alex', bookingId: 'HAF-7K3M9Q-1-2', session: crafts,
};
const bothBodies = (m: { text: string; html: string }) => [m.text, m.html];

describe('dates and times, written for people', () => {
  it('writes dates with the weekday, as GOV.UK does', () => {
    expect(longDate('2026-12-22')).toBe('Tuesday 22 December 2026');
    expect(longDate('2027-01-01')).toBe('Friday 1 January 2027');
    expect(longDate('2028-02-29')).toBe('Tuesday 29 February 2028');
  });

  it('writes times with am and pm, midday and midnight', () => {
    expect(timeRange('09:30', '13:30')).toBe('9:30am to 1:30pm');
    expect(['09:00', '12:00', '00:00', '12:15', '17:05', '00:30'].map(clockTime)).toEqual(['9am', 'midday', 'midnight', '12:15pm', '5:05pm', '12:30am']);
  });
});

describe('the application confirmation', () => {
  const m = renderMessage('application', application());

  it('names the reference in the subject and no person', () => {
    expect(m.subject).toBe('Your holiday club application HAF-7K3M9Q');
  });

  it('gives the details of each booked place in text and HTML', () => {
    for (const body of bothBodies(m)) {
      expect(body).toContain('Tuesday 22 December 2026, 9:30am to 1:30pm');
      expect(body).toContain('Loughborough Leisure Centre, LE11 3HA');
      expect(body).toContain('A free meal is provided.');
      expect(body).toContain('HAF-7K3M9Q-1-1');
      expect(body).toContain('water bottle');
      expect(body).toContain('any medicine your child needs');
    }
    expect(m.text).toContain('Booked: Festive Football & Lunch');
    expect(m.html).toContain('Festive Football &amp; Lunch');
  });

  it('explains the waiting list and gives the reason for a refused place', () => {
    expect(m.text).toContain('On the waiting list: Craft Club');
    expect(m.text).toContain('Wednesday 23 December 2026, midday to 3pm');
    expect(m.text).toContain('in the order children joined the waiting list. We will email you if a place comes up');
    expect(m.text).toContain('No meal is provided: please send a packed lunch.');
    expect(m.text).toContain('Not booked: Festive Football & Lunch\n\n- Your child is outside the age range for this session.');
  });

  it('says how to cancel: 72 hours, the link, the manage code and the API call', () => {
    for (const body of bothBodies(m)) {
      expect(body).toContain('at least 72 hours before the session so another child can have the place');
      expect(body).toContain('https://holiday-clubs.example.gov.uk/applications/HAF-7K3M9Q');
      expect(body).toContain('mt_example_7f3a9c2e4b1d8f60');
      expect(body).toContain('DELETE /v1/bookings/{booking number}');
      expect(body).toContain('X-Manage-Token');
      expect(body).toContain('HAF-7K3M9Q');
    }
    expect(m.html).toContain('<a href="https://holiday-clubs.example.gov.uk/applications/HAF-7K3M9Q"');
  });

  it('leaves out what to bring and cancelling when nothing was booked', () => {
    const refused = renderMessage('application', application({ children: [
      { firstName: 'Jo', bookings: [{ bookingId: 'HAF-7K3M9Q-1-1', status: 'rejected', reasonText: 'Booking for this holiday is not open at the moment.' }] },
    ] }));
    expect(refused.text).toContain('Not booked: A session you chose');
    expect(refused.text).not.toContain('What to bring');
    expect(refused.text).not.toContain('72 hours');
    expect(refused.text).toContain('mt_example_7f3a9c2e4b1d8f60');
  });

  it('escapes every value in the HTML, and only there', () => {
    const hostile = renderMessage('application', application({
      parentFirstName: `O'Brien <script>alert(1)</script>`,
      children: [{ firstName: 'Zoë "Zo" <b>', bookings: [{ bookingId: 'HAF-7K3M9Q-1-1', status: 'confirmed', session: { ...football, venue: { name: '<img src=x onerror=alert(1)>', postcode: 'le11 3ha' } } }] }],
    }));
    expect(hostile.html).not.toMatch(/<script|<img|<b>/);
    expect(hostile.html).toContain('Hello O&#39;Brien &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(hostile.html).toContain('Zoë &quot;Zo&quot; &lt;b&gt;');
    expect(hostile.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile.text).toContain(`Hello O'Brien <script>alert(1)</script>,`);
  });

  it('is a small page that a phone shows at a readable size', () => {
    expect(m.html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(m.html).toContain('name="viewport"');
    expect(m.html.length).toBeLessThan(12_000);
  });
});

describe('a place offered from the waiting list', () => {
  const m = renderMessage('offered', booking);

  it('says the place is booked, with the session and how to cancel', () => {
    expect(m.subject).toBe('A holiday club place has come up: HAF-7K3M9Q');
    for (const body of bothBodies(m)) {
      expect(body).toContain('A place has come up and is now booked for Alex.');
      expect(body).toContain('Craft Club');
      expect(body).toContain('Wednesday 23 December 2026, midday to 3pm');
      expect(body).toContain('Loughborough Leisure Centre, LE11 3HA');
      expect(body).toContain('72 hours');
      expect(body).toContain('mt_example_7f3a9c2e4b1d8f60');
      expect(body).toContain('HAF-7K3M9Q');
    }
  });
});

describe('a cancellation', () => {
  const { manageToken: _, ...data } = booking;
  const m = renderMessage('cancelled', data);

  it('confirms which place was cancelled and quotes the reference', () => {
    expect(m.subject).toBe('Holiday club place cancelled: HAF-7K3M9Q');
    for (const body of bothBodies(m)) {
      expect(body).toContain('Craft Club');
      expect(body).toContain('Wednesday 23 December 2026');
      expect(body).toContain('HAF-7K3M9Q-1-2');
      expect(body).toContain('https://holiday-clubs.example.gov.uk/applications/HAF-7K3M9Q');
    }
    expect(m.text).toContain(`We have cancelled Alex's place.`);
    expect(m.html).toContain('We have cancelled Alex&#39;s place.');
    expect(m.text).not.toContain('mt_example');
  });
});

describe('leaving the waiting list', () => {
  const { manageToken: _, ...data } = booking;

  it('confirms a child taken off the waiting list as the parent asked, without the manage code', () => {
    const m = renderMessage('leftWaitlist', data);
    expect(m.subject).toBe('Holiday club waiting list: HAF-7K3M9Q');
    for (const body of bothBodies(m)) {
      expect(body).toContain('Craft Club');
      expect(body).toContain('HAF-7K3M9Q-1-2');
      expect(body).toContain('https://holiday-clubs.example.gov.uk/applications/HAF-7K3M9Q');
    }
    expect(m.text).toContain('We have taken Alex off the waiting list, as you asked.');
    expect(m.text).not.toContain('mt_example');
  });

  it('tells a family why their child came off the waiting list when a place came up', () => {
    const m = renderMessage('droppedFromWaitlist', { ...data, reasonText: 'Your child already has a session booked on this day.' });
    expect(m.subject).toBe('Holiday club waiting list: HAF-7K3M9Q');
    for (const body of bothBodies(m)) {
      expect(body).toContain('Your child already has a session booked on this day.');
      expect(body).toContain('Wednesday 23 December 2026');
      expect(body).toContain('Your other bookings are unchanged.');
    }
    expect(m.text).toContain('A place came up, but Alex could not have it');
  });
});
