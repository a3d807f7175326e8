"""Recognition: colleagues recognise customer-centric acts; the contract is `services.recognise` and
`services.set_board_pick`."""
