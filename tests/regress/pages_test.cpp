// SPDX-License-Identifier: MIT
#include <boost/test/unit_test.hpp>

#include "regress.h"

BOOST_AUTO_TEST_SUITE(regress_pages)

BOOST_AUTO_TEST_SUITE_END()
