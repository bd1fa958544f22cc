import { ownApplication } from '../../services/sign-ups.ts';
import type { SchemeSignUp } from '../scheme.ts';
import { applyForHaf } from './apply.ts';
import { cancelHafBooking } from './cancel.ts';
import type { HafApplicationCreated, HafApplicationInput, HafApplicationView } from './input.ts';
import { hafView } from './views.ts';

/** Booking HAF places, seeing them and cancelling one. */
export const hafSignUp: SchemeSignUp<HafApplicationInput, HafApplicationCreated, HafApplicationView> = {
  apply: applyForHaf,
  show: async (deps, reference, token) => hafView(deps, await ownApplication(deps, reference, token)),
  cancel: async (deps, reference, bookingId, token) => cancelHafBooking(deps, await ownApplication(deps, reference, token), bookingId),
};
